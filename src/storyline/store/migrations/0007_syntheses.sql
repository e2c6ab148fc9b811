-- Syntheses: one brief and timeline per story, redone when its cross-check changes.
CREATE TABLE syntheses (
    story_id TEXT PRIMARY KEY,
    members_hash TEXT NOT NULL,          -- the cross-check (members) it was written from
    stage TEXT NOT NULL,
    result_json TEXT NOT NULL,           -- {"brief": [...], "timeline": [...], "timeline_svg": "..."}
    at TEXT NOT NULL
);
