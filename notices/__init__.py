"""Before the meeting: the notice (kallelse) and public notice (kungörelse), absence in advance
(förhinder) with the substitute call-in, and requests to take part remotely."""
