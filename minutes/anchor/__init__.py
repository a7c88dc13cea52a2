"""The anchored log: each meeting's log head signed with a key that is not in the database.

A checkpoint (meeting, seq, head hash, time, key id, Ed25519 signature) is written after the
transaction that closed an item, closed a vote, adjourned the meeting or locked/signed the
minutes has committed: as a ``LogCheckpoint`` row AND as one line appended to
``log-anchors.jsonl`` in the signing directory. Someone who can rewrite only the database can
neither sign a new checkpoint nor remove the file's lines, so ``verify_log`` detects a
deleted tail or a recomputed chain up to the last checkpoint (docs/security.md).
"""
