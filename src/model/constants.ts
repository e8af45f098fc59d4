/** The network a service joins when it declares none (and has no `network_mode`). */
export const DEFAULT_NETWORK = 'default';
