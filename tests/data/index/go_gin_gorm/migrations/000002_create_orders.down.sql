DROP TABLE shop_orders;
