-- Extraction: per-article annotations (all spans into articles.text) and the merged entities.
CREATE TABLE extract_done (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    stage TEXT NOT NULL
);
CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (article_id, start, end)
);
CREATE TABLE time_refs (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value_start TEXT,                     -- ISO dates, inclusive; NULL when unresolved
    value_end TEXT,
    precision TEXT,
    background INTEGER,                   -- 1 history, 0 the news, NULL unknown
    PRIMARY KEY (article_id, start)
);
CREATE TABLE quantities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value REAL NOT NULL,
    low REAL NOT NULL,
    high REAL,                            -- NULL = unbounded ("at least 700")
    unit TEXT,
    counted TEXT,
    approximator TEXT,
    PRIMARY KEY (article_id, start)
);
CREATE TABLE attributions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    direct INTEGER NOT NULL,
    PRIMARY KEY (article_id, start)
);
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    lat REAL,
    lon REAL,
    gazetteer_id TEXT
);
CREATE TABLE entity_mentions (
    entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (article_id, start, end)
);
CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
