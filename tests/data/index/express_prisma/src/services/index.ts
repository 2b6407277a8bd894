export * from './items';
export { listOrders } from './orders';
