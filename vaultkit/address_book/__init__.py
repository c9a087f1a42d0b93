"""Address books and exports from elsewhere, read into `Person` records.

The bottom layer for `vaultkit import` and `vaultkit export vcard`: file
formats only (LinkedIn's Connections.csv, vCard, Google and Outlook CSV).
Nothing here knows about the vault; matching people to notes is
`domain.contact_match`, writing notes is `outputs.contact_import`.
"""
