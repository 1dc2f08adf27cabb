/** Whether the store can serve requests now (Redis answers PING; memory always can): GET /readyz. Never throws. */
export interface Readiness {
  ready(): Promise<boolean>;
}
