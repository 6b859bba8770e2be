/** Small helpers shared by the report builders. */
export { endpointText } from '../../../shared/model/endpoint.ts';
