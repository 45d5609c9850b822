import './implementation.css';

export { FulfilmentPage } from './FulfilmentPage';
export { ImplementationPage } from './ImplementationPage';
export { ReportHistoryPage } from './ReportHistoryPage';
export { ReportPage } from './ReportPage';
