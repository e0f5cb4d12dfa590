import { createContext, useContext } from 'react';
import type { Api } from '../../../shared/api';
import type { Transport } from './transport';

export interface ApiContextValue {
  api: Api;
  transport: Transport;
  /** web mode only: the access token, needed for uploads */
  token: string | null;
}

export const ApiContext = createContext<ApiContextValue | null>(null);

export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside <ApiContext.Provider>');
  return value;
}
