"""Call transcript review: speakers, talk ratio and monologues, coached by the playbooks.

A transcript file (.vtt, .srt or plain text) becomes a `Transcript` of speaker turns; the
rep is recognised among the speakers; their own words go through the same coach as a chat
turn, while the call's shape (who talked, for how long) and the commitments both sides made
are measured here. Adapters call `CallService` with the file's bytes and render its outcome.
"""
