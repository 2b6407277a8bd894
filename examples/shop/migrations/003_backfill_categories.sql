-- Products imported before categories existed.

UPDATE products SET category = 'misc' WHERE category IS NULL OR category = '';

SELECT * FROM products WHERE category = 'misc';
