-- Stories: articles grouped into events, incrementally (stories stage).
CREATE TABLE stories (
    id TEXT PRIMARY KEY,                  -- the id of the story's first article; never changes
    label TEXT NOT NULL,
    first_day TEXT,                       -- span of its members' publication days (ISO)
    last_day TEXT,
    size INTEGER NOT NULL,
    centroid_json TEXT NOT NULL           -- summed member vectors {term: weight}, for joins
);
CREATE TABLE story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    similarity REAL                       -- to the story when it joined; NULL for the opener
);
CREATE INDEX story_members_story ON story_members (story_id);
CREATE TABLE story_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('open', 'join', 'merge')),
    story_id TEXT NOT NULL,
    other TEXT,                           -- the joining article, or the story merged in
    at TEXT NOT NULL
);
CREATE TABLE story_terms (                -- document frequencies of the clustering features
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
