-- Publication days inferred from related articles (extraction stage). Kept apart from the
-- article's own date so a later run can revise or withdraw them; reads overlay them.
CREATE TABLE date_inferences (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    published TEXT NOT NULL,              -- a day, '2024-12-05'
    evidence TEXT NOT NULL
);
