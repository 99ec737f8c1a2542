//! Column definitions of the real kube-apiserver printers: names, types, formats,
//! priorities and descriptions. The descriptions are the API's field documentation
//! (what the server's `SwaggerDoc()` lookups produce), so a raw Table from us reads
//! like one from a real server.

use serde_json::{json, Value};

/// One `TableColumnDefinition`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    pub name: &'static str,
    pub ty: &'static str,
    pub format: &'static str,
    pub desc: &'static str,
    /// 0 = always shown; 1 = shown by `kubectl get -o wide` only.
    pub priority: u8,
}

impl Col {
    const fn new(name: &'static str, ty: &'static str, desc: &'static str) -> Self {
        Col {
            name,
            ty,
            format: "",
            desc,
            priority: 0,
        }
    }
    const fn wide(self) -> Self {
        Col {
            priority: 1,
            ..self
        }
    }
    const fn named(self) -> Self {
        Col {
            format: "name",
            ..self
        }
    }
    pub fn to_json(self) -> Value {
        json!({
            "name": self.name,
            "type": self.ty,
            "format": self.format,
            "description": self.desc,
            "priority": self.priority,
        })
    }
}

const fn s(name: &'static str, desc: &'static str) -> Col {
    Col::new(name, "string", desc)
}
const fn int(name: &'static str, desc: &'static str) -> Col {
    Col::new(name, "integer", desc)
}
const fn boolean(name: &'static str, desc: &'static str) -> Col {
    Col::new(name, "boolean", desc)
}

pub(crate) const NAME_DOC: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
pub(crate) const CREATED_DOC: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

const NAME: Col = s("Name", NAME_DOC).named();
const AGE: Col = s("Age", CREATED_DOC);
const CONTAINERS: Col = s("Containers", "Names of each container in the template.").wide();
const IMAGES: Col = s(
    "Images",
    "Images referenced by each container in the template.",
)
.wide();
const READY_PODS: Col = s("Ready", "Number of the pod with ready state");

/// The columns of `resource`, or `None` when the server has no printer for it
/// (then it uses the default Name / Created At table).
pub(crate) fn for_resource(resource: &str) -> Option<&'static [Col]> {
    Some(match resource {
        "pods" => PODS,
        "deployments" => DEPLOYMENTS,
        "replicasets" => REPLICASETS,
        "replicationcontrollers" => REPLICATIONCONTROLLERS,
        "statefulsets" => STATEFULSETS,
        "daemonsets" => DAEMONSETS,
        "jobs" => JOBS,
        "cronjobs" => CRONJOBS,
        "services" => SERVICES,
        "endpoints" => ENDPOINTS,
        "endpointslices" => ENDPOINTSLICES,
        "events" => EVENTS,
        "namespaces" => NAMESPACES,
        "nodes" => NODES,
        "configmaps" => CONFIGMAPS,
        "secrets" => SECRETS,
        "serviceaccounts" => SERVICEACCOUNTS,
        "persistentvolumeclaims" => PVCS,
        "persistentvolumes" => PVS,
        "poddisruptionbudgets" => PDBS,
        "ingresses" => INGRESSES,
        "ingressclasses" => INGRESSCLASSES,
        "rolebindings" => ROLEBINDINGS,
        "clusterrolebindings" => CLUSTERROLEBINDINGS,
        "storageclasses" => STORAGECLASSES,
        "leases" => LEASES,
        "priorityclasses" => PRIORITYCLASSES,
        "networkpolicies" => NETWORKPOLICIES,
        "controllerrevisions" => CONTROLLERREVISIONS,
        _ => return None,
    })
}

/// The default table of the generic registry (`rest.NewDefaultTableConvertor`).
pub(crate) const DEFAULT: &[Col] = &[NAME, Col::new("Created At", "date", CREATED_DOC)];

const PODS: &[Col] = &[
    NAME,
    s("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    s("Status", "The aggregate status of the containers in this pod."),
    s("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
    AGE,
    s("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.").wide(),
    s("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename").wide(),
    s("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.").wide(),
    s("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates").wide(),
];

const DEPLOYMENTS: &[Col] = &[
    NAME,
    READY_PODS,
    s("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
    s("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
    AGE,
    CONTAINERS,
    IMAGES,
    s("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.").wide(),
];

const REPLICASETS: &[Col] = &[
    NAME,
    int("Desired", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
    int("Current", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
    int("Ready", "The number of ready replicas for this replica set."),
    AGE,
    CONTAINERS,
    IMAGES,
    s("Selector", "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors").wide(),
];

const REPLICATIONCONTROLLERS: &[Col] = &[
    NAME,
    int("Desired", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
    int("Current", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
    int("Ready", "The number of ready replicas for this replication controller."),
    AGE,
    CONTAINERS,
    IMAGES,
    s("Selector", "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors").wide(),
];

const STATEFULSETS: &[Col] = &[NAME, READY_PODS, AGE, CONTAINERS, IMAGES];

const DAEMONSETS: &[Col] = &[
    NAME,
    int("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
    int("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
    int("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
    int("Up-to-date", "The total number of nodes that are running updated daemon pod"),
    int("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
    s("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    AGE,
    CONTAINERS,
    IMAGES,
    s("Selector", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors").wide(),
];

const JOB_SELECTOR_DOC: &str = "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

const JOBS: &[Col] = &[
    NAME,
    s("Status", "Status of the job."),
    s("Completions", "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
    s("Duration", "Time required to complete the job."),
    AGE,
    CONTAINERS,
    IMAGES,
    s("Selector", JOB_SELECTOR_DOC).wide(),
];

const CRONJOBS: &[Col] = &[
    NAME,
    s("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
    s("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
    boolean("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
    int("Active", "A list of pointers to currently running jobs."),
    s("Last Schedule", "Information when was the last time the job was successfully scheduled."),
    AGE,
    CONTAINERS,
    IMAGES,
    s("Selector", JOB_SELECTOR_DOC).wide(),
];

const SERVICES: &[Col] = &[
    NAME,
    s("Type", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"),
    s("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
    s("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system."),
    s("Port(s)", "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
    AGE,
    s("Selector", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/").wide(),
];

const ENDPOINTS: &[Col] = &[
    NAME,
    s("Endpoints", "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."),
    AGE,
];

const ENDPOINTSLICES: &[Col] = &[
    NAME,
    s("AddressType", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name."),
    s("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports."),
    s("Endpoints", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
    AGE,
];

const EVENTS: &[Col] = &[
    s("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
    s("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
    s("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    s("Object", "The object that this event is about."),
    s("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.").wide(),
    s("Source", "The component reporting this event. Should be a short machine understandable string.").wide(),
    s("Message", "A human-readable description of the status of this operation."),
    s("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)").wide(),
    s("Count", "The number of times this event has occurred.").wide(),
    s("Name", NAME_DOC).wide().named(),
];

const NAMESPACES: &[Col] = &[NAME, s("Status", "The status of the namespace"), AGE];

const NODES: &[Col] = &[
    NAME,
    s("Status", "The status of the node"),
    s("Roles", "The roles of the node"),
    AGE,
    s("Version", "Kubelet Version reported by the node."),
    s("Internal-IP", NODE_ADDRESSES_DOC).wide(),
    s("External-IP", NODE_ADDRESSES_DOC).wide(),
    s("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).").wide(),
    s("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).").wide(),
    s("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).").wide(),
];

const NODE_ADDRESSES_DOC: &str = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

const CONFIGMAPS: &[Col] = &[
    NAME,
    s("Data", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
    AGE,
];

const SECRETS: &[Col] = &[
    NAME,
    s("Type", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
    s("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    AGE,
];

const SERVICEACCOUNTS: &[Col] = &[
    NAME,
    s("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret"),
    AGE,
];

const PVCS: &[Col] = &[
    NAME,
    s("Status", "phase represents the current phase of PersistentVolumeClaim."),
    s("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
    s("Capacity", "capacity represents the actual resources of the underlying volume."),
    s("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
    s("StorageClass", "StorageClass of the pvc"),
    s("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
    AGE,
    s("VolumeMode", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.").wide(),
];

const PVS: &[Col] = &[
    NAME,
    s("Capacity", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
    s("Access Modes", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
    s("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
    s("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
    s("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
    s("StorageClass", "StorageClass of the pv"),
    s("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
    s("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
    AGE,
    s("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.").wide(),
];

const PDBS: &[Col] = &[
    NAME,
    s(
        "Min Available",
        "The minimum number of pods that must be available.",
    ),
    s(
        "Max Unavailable",
        "The maximum number of pods that may be unavailable.",
    ),
    int(
        "Allowed Disruptions",
        "Calculated number of pods that may be disrupted at this time.",
    ),
    AGE,
];

const INGRESSES: &[Col] = &[
    NAME,
    s(
        "Class",
        "The name of the IngressClass resource that should be used for additional configuration",
    ),
    s(
        "Hosts",
        "Hosts that incoming requests are matched against before the ingress rule",
    ),
    s(
        "Address",
        "Address is a list containing ingress points for the load-balancer",
    ),
    s("Ports", "Ports of TLS configurations that open"),
    AGE,
];

const INGRESSCLASSES: &[Col] = &[
    NAME,
    s(
        "Controller",
        "Controller that is responsible for handling this class",
    ),
    s(
        "Parameters",
        "A reference to a resource with additional parameters",
    ),
    AGE,
];

const ROLEBINDINGS: &[Col] = &[
    NAME,
    s("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
    AGE,
    s("Users", "Users in the roleBinding").wide(),
    s("Groups", "Groups in the roleBinding").wide(),
    s("ServiceAccounts", "ServiceAccounts in the roleBinding").wide(),
];

const CLUSTERROLEBINDINGS: &[Col] = &[
    NAME,
    s("Role", "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
    AGE,
    s("Users", "Users in the clusterRoleBinding").wide(),
    s("Groups", "Groups in the clusterRoleBinding").wide(),
    s("ServiceAccounts", "ServiceAccounts in the clusterRoleBinding").wide(),
];

const STORAGECLASSES: &[Col] = &[
    NAME,
    s("Provisioner", "provisioner indicates the type of the provisioner."),
    s("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."),
    s("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature."),
    s("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
    AGE,
];

const LEASES: &[Col] = &[
    NAME,
    s("Holder", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
    AGE,
];

const PRIORITYCLASSES: &[Col] = &[
    NAME,
    int("Value", "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."),
    boolean("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority."),
    AGE,
    s("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."),
];

const NETWORKPOLICIES: &[Col] = &[
    NAME,
    s("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace."),
    AGE,
];

const CONTROLLERREVISIONS: &[Col] = &[
    NAME,
    s("Controller", "Controller of the object"),
    s(
        "Revision",
        "Revision indicates the revision of the state represented by Data.",
    ),
    AGE,
];
