export * from './invoices/service';
export * from './invoices/totals';
export { findCustomer } from './customers/repository';
