/**
 * Pure: the model's networks and volumes as the engine's create requests (the counterpart of
 * container-spec.ts for the two other resource kinds). Labels come from the plan, already merged.
 */
import type { Network, Volume } from '../model/types.js';
import type { NetworkSpec, VolumeSpec } from './engine.js';

export function toNetworkSpec(name: string, network: Network, labels: Readonly<Record<string, string>>): NetworkSpec {
  const ipam = network.ipam;
  return {
    name,
    ...(network.driver === undefined ? {} : { driver: network.driver }),
    ...(network.driver_opts === undefined ? {} : { driverOpts: network.driver_opts }),
    ...(ipam === undefined
      ? {}
      : {
          ipam: {
            ...(ipam.driver === undefined ? {} : { driver: ipam.driver }),
            ...(ipam.options === undefined ? {} : { options: ipam.options }),
            ...(ipam.config === undefined
              ? {}
              : {
                  config: ipam.config.map((pool) => ({
                    ...(pool.subnet === undefined ? {} : { subnet: pool.subnet }),
                    ...(pool.ip_range === undefined ? {} : { ipRange: pool.ip_range }),
                    ...(pool.gateway === undefined ? {} : { gateway: pool.gateway }),
                    ...(pool.aux_addresses === undefined ? {} : { auxAddresses: pool.aux_addresses }),
                  })),
                }),
          },
        }),
    ...(network.internal === undefined ? {} : { internal: network.internal }),
    ...(network.attachable === undefined ? {} : { attachable: network.attachable }),
    ...(network.enable_ipv6 === undefined ? {} : { enableIpv6: network.enable_ipv6 }),
    labels,
  };
}

export function toVolumeSpec(name: string, volume: Volume, labels: Readonly<Record<string, string>>): VolumeSpec {
  return {
    name,
    ...(volume.driver === undefined ? {} : { driver: volume.driver }),
    ...(volume.driver_opts === undefined ? {} : { driverOpts: volume.driver_opts }),
    labels,
  };
}
