-- Stories: a batch re-optimisation may split a story (recorded like a merge), and the
-- incremental stage loads only the stories whose span is near the arrivals' days.
CREATE TABLE story_events_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('open', 'join', 'merge', 'split')),
    story_id TEXT NOT NULL,
    other TEXT,                           -- the joining article, the story merged in, or the
                                          -- story split off
    at TEXT NOT NULL
);
INSERT INTO story_events_new (seq, kind, story_id, other, at)
    SELECT seq, kind, story_id, other, at FROM story_events;
DROP TABLE story_events;
ALTER TABLE story_events_new RENAME TO story_events;
CREATE INDEX story_events_story ON story_events (story_id);
CREATE INDEX stories_last_day ON stories (last_day);
