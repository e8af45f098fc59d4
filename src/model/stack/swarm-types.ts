/**
 * The swarm object specs tscompose sends, in the Engine API's own field names (PascalCase): the
 * mapping in service-spec.ts is written and reviewed against `docker service inspect` in those
 * terms, and the planner compares them with what the engine stored. Every duration is
 * nanoseconds. The engine seam (apply/swarm-engine.ts) takes and returns these types.
 */

export interface ServiceMount {
  readonly Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  readonly Source?: string;
  readonly Target: string;
  readonly ReadOnly?: boolean;
  readonly Consistency?: string;
  readonly BindOptions?: { readonly Propagation?: string };
  readonly VolumeOptions?: {
    readonly NoCopy?: boolean;
    readonly Labels?: Readonly<Record<string, string>>;
    readonly DriverConfig?: { readonly Name?: string; readonly Options?: Readonly<Record<string, string>> };
  };
  readonly TmpfsOptions?: { readonly SizeBytes?: number; readonly Mode?: number };
}

/** A secret or config the task gets as a file; the ID is filled in when the deploy knows it. */
export interface FileObjectReference {
  readonly File: { readonly Name: string; readonly UID: string; readonly GID: string; readonly Mode: number };
  readonly SecretID?: string;
  readonly SecretName?: string;
  readonly ConfigID?: string;
  readonly ConfigName?: string;
}

export interface ServiceHealthcheck {
  readonly Test?: readonly string[];
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly StartPeriod?: number;
  readonly Retries?: number;
}

export interface ContainerTaskSpec {
  readonly Image: string;
  readonly Labels?: Readonly<Record<string, string>>;
  /** The entrypoint (Compose's `entrypoint`). */
  readonly Command?: readonly string[];
  /** The arguments (Compose's `command`). */
  readonly Args?: readonly string[];
  readonly Hostname?: string;
  /** Sorted `KEY=value` entries; a bare `KEY` is unset. */
  readonly Env?: readonly string[];
  readonly Dir?: string;
  readonly User?: string;
  readonly Groups?: readonly string[];
  readonly Privileges?: { readonly CredentialSpec?: { readonly Config?: string; readonly File?: string; readonly Registry?: string } };
  readonly Init?: boolean;
  readonly TTY?: boolean;
  readonly OpenStdin?: boolean;
  readonly ReadOnly?: boolean;
  readonly Mounts?: readonly ServiceMount[];
  readonly StopSignal?: string;
  readonly StopGracePeriod?: number;
  readonly Healthcheck?: ServiceHealthcheck;
  /** `IP host` entries. */
  readonly Hosts?: readonly string[];
  readonly DNSConfig?: { readonly Nameservers?: readonly string[]; readonly Search?: readonly string[]; readonly Options?: readonly string[] };
  readonly Secrets?: readonly FileObjectReference[];
  readonly Configs?: readonly FileObjectReference[];
  readonly Isolation?: string;
  readonly Sysctls?: Readonly<Record<string, string>>;
  readonly CapabilityAdd?: readonly string[];
  readonly CapabilityDrop?: readonly string[];
  readonly Ulimits?: readonly { readonly Name: string; readonly Soft: number; readonly Hard: number }[];
}

export interface ResourceSpec {
  readonly NanoCPUs?: number;
  readonly MemoryBytes?: number;
  readonly Pids?: number;
  readonly GenericResources?: readonly { readonly DiscreteResourceSpec?: { readonly Kind: string; readonly Value: number } }[];
}

export interface UpdateSpec {
  readonly Parallelism?: number;
  readonly Delay?: number;
  readonly FailureAction?: string;
  readonly Monitor?: number;
  readonly MaxFailureRatio?: number;
  readonly Order?: string;
}

export interface ServicePort {
  readonly Protocol: string;
  readonly TargetPort: number;
  readonly PublishedPort?: number;
  readonly PublishMode: 'ingress' | 'host';
}

export type ServiceMode =
  | { readonly Replicated: { readonly Replicas?: number } }
  | { readonly Global: Record<string, never> }
  | { readonly ReplicatedJob: { readonly MaxConcurrent?: number; readonly TotalCompletions?: number } }
  | { readonly GlobalJob: Record<string, never> };

/** The body of `POST /services/create` and `/services/{id}/update`. */
export interface ServiceSpec {
  readonly Name: string;
  readonly Labels: Readonly<Record<string, string>>;
  readonly TaskTemplate: {
    readonly ContainerSpec: ContainerTaskSpec;
    readonly Resources?: { readonly Limits?: ResourceSpec; readonly Reservations?: ResourceSpec };
    readonly RestartPolicy?: { readonly Condition?: string; readonly Delay?: number; readonly MaxAttempts?: number; readonly Window?: number };
    readonly Placement?: {
      readonly Constraints?: readonly string[];
      readonly Preferences?: readonly { readonly Spread: { readonly SpreadDescriptor: string } }[];
      readonly MaxReplicas?: number;
      readonly Platforms?: readonly { readonly Architecture?: string; readonly OS?: string }[];
    };
    /** Targets are network names in a request; the engine stores IDs. */
    readonly Networks?: readonly { readonly Target: string; readonly Aliases?: readonly string[]; readonly DriverOpts?: Readonly<Record<string, string>> }[];
    readonly LogDriver?: { readonly Name: string; readonly Options?: Readonly<Record<string, string>> };
    readonly ForceUpdate?: number;
    readonly Runtime?: string;
  };
  readonly Mode?: ServiceMode;
  readonly UpdateConfig?: UpdateSpec;
  readonly RollbackConfig?: UpdateSpec;
  readonly EndpointSpec?: { readonly Mode?: string; readonly Ports?: readonly ServicePort[] };
}

/** The body of `POST /secrets/create` and `/configs/create` (Data is base64). */
export interface FileObjectSpec {
  readonly Name: string;
  readonly Labels: Readonly<Record<string, string>>;
  readonly Data?: string;
  readonly Templating?: { readonly Name: string };
  readonly Driver?: { readonly Name: string; readonly Options?: Readonly<Record<string, string>> };
}
