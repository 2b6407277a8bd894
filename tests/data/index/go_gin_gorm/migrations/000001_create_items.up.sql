-- golang-migrate: the catalogue
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    created_at TIMESTAMP,
    updated_at TIMESTAMP,
    deleted_at TIMESTAMP,
    title VARCHAR(200) NOT NULL
);

CREATE INDEX idx_items_deleted_at ON items (deleted_at);
