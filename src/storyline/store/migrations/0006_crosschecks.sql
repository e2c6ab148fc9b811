-- Cross-checks: one per story, recomputed when the story's members change (crosscheck stage).
CREATE TABLE crosschecks (
    story_id TEXT PRIMARY KEY,
    members_hash TEXT NOT NULL,          -- sha256 of the sorted member ids the result is for
    stage TEXT NOT NULL,                 -- the stage name and version that wrote it
    result_json TEXT NOT NULL,           -- the story's report sections (facts, contradictions ...)
    at TEXT NOT NULL
);
