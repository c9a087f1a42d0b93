"""Mail, read locally for its headers only: Maildir, mbox, a folder of
``.eml`` files, or an IMAP account, read into `MessageHeaders` records.

The bottom layer for `vaultkit mail scan`: no body is read or kept, and
nothing here knows about the vault. Which contact a message is about, and
what it changes, is `domain.mail_rules`.
"""
