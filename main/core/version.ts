/** The app version, shown in About and reported by the Portal's health endpoint. */
export const APP_VERSION = '0.1.0';
