CREATE TABLE shop_orders (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    quantity INTEGER NOT NULL,
    placed_at TIMESTAMP NOT NULL
);
