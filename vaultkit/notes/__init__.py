"""One note: bytes → text → front-matter and body → normalised keys, typed values, links.

Nothing here knows about other notes or the vault; everything is pure except
`note.read_note`, which reads exactly one file once.
"""
