//! Field numbers, JSON names and types of the Kubernetes messages kterm-sim decodes, in the
//! grammar described in `schema.rs`. The numbers and types are the wire protocol as defined by
//! the `generated.proto` files of k8s.io/api and k8s.io/apimachinery; the JSON names and the
//! `?` (omit zero) marks follow the Go struct tags of the same types. Messages are the closure
//! of the kinds in `protobuf.rs::KINDS`; `~` marks only alpha-API messages outside it.

pub(super) use super::table_core::CORE;

/// meta/v1: 9 messages.
pub(super) const META: &str = "\
    Condition: 1type:s 2status:s 3observedGeneration:l? 4lastTransitionTime:T 5reason:s \
        6message:s; \
    DeleteOptions: 1gracePeriodSeconds:l 2preconditions:Preconditions 3orphanDependents:b \
        4propagationPolicy:s 5dryRun:[s 6ignoreStoreReadErrorWithClusterBreakingPotential:b; \
    FieldSelectorRequirement: 1key:s 2operator:s 3values:[s; \
    LabelSelector: 1matchLabels:{s 2matchExpressions:[LabelSelectorRequirement; \
    LabelSelectorRequirement: 1key:s 2operator:s 3values:[s; \
    ManagedFieldsEntry: 1manager:s? 2operation:s? 3apiVersion:s? 4time:T 6fieldsType:s? \
        7fieldsV1:F 8subresource:s?; \
    ObjectMeta: 1name:s? 2generateName:s? 3namespace:s? 4selfLink:s? 5uid:s? 6resourceVersion:s? \
        7generation:l? 8creationTimestamp:T 9deletionTimestamp:T 10deletionGracePeriodSeconds:l \
        11labels:{s 12annotations:{s 13ownerReferences:[OwnerReference 14finalizers:[s \
        17managedFields:[ManagedFieldsEntry; \
    OwnerReference: 5apiVersion:s 1kind:s 3name:s 4uid:s 6controller:b 7blockOwnerDeletion:b; \
    Preconditions: 1uid:s 2resourceVersion:s;";

/// apps/v1: 24 messages.
pub(super) const APPS: &str = "\
    DaemonSet: 1metadata:ObjectMeta 2spec:DaemonSetSpec 3status:DaemonSetStatus; \
    DaemonSetCondition: 1type:s 2status:s 3lastTransitionTime:T 4reason:s? 5message:s?; \
    DaemonSetSpec: 1selector:LabelSelector 2template:PodTemplateSpec \
        3updateStrategy:DaemonSetUpdateStrategy 4minReadySeconds:i? 6revisionHistoryLimit:i; \
    DaemonSetStatus: 1currentNumberScheduled:i 2numberMisscheduled:i 3desiredNumberScheduled:i \
        4numberReady:i 5observedGeneration:l? 6updatedNumberScheduled:i? 7numberAvailable:i? \
        8numberUnavailable:i? 9collisionCount:i 10conditions:[DaemonSetCondition; \
    DaemonSetUpdateStrategy: 1type:s? 2rollingUpdate:RollingUpdateDaemonSet; \
    Deployment: 1metadata:ObjectMeta 2spec:DeploymentSpec 3status:DeploymentStatus; \
    DeploymentCondition: 1type:s 2status:s 6lastUpdateTime:T 7lastTransitionTime:T 4reason:s? \
        5message:s?; \
    DeploymentSpec: 1replicas:i 2selector:LabelSelector 3template:PodTemplateSpec \
        4strategy:DeploymentStrategy 5minReadySeconds:i? 6revisionHistoryLimit:i 7paused:b? \
        9progressDeadlineSeconds:i; \
    DeploymentStatus: 1observedGeneration:l? 2replicas:i? 3updatedReplicas:i? 7readyReplicas:i? \
        4availableReplicas:i? 5unavailableReplicas:i? 9terminatingReplicas:i \
        6conditions:[DeploymentCondition 8collisionCount:i; \
    DeploymentStrategy: 1type:s? 2rollingUpdate:RollingUpdateDeployment; \
    ReplicaSet: 1metadata:ObjectMeta 2spec:ReplicaSetSpec 3status:ReplicaSetStatus; \
    ReplicaSetCondition: 1type:s 2status:s 3lastTransitionTime:T 4reason:s? 5message:s?; \
    ReplicaSetSpec: 1replicas:i 4minReadySeconds:i? 2selector:LabelSelector \
        3template:PodTemplateSpec; \
    ReplicaSetStatus: 1replicas:i 2fullyLabeledReplicas:i? 4readyReplicas:i? \
        5availableReplicas:i? 7terminatingReplicas:i 3observedGeneration:l? \
        6conditions:[ReplicaSetCondition; \
    RollingUpdateDaemonSet: 1maxUnavailable:I 2maxSurge:I; \
    RollingUpdateDeployment: 1maxUnavailable:I 2maxSurge:I; \
    RollingUpdateStatefulSetStrategy: 1partition:i 2maxUnavailable:I; \
    StatefulSet: 1metadata:ObjectMeta 2spec:StatefulSetSpec 3status:StatefulSetStatus; \
    StatefulSetCondition: 1type:s 2status:s 3lastTransitionTime:T 4reason:s? 5message:s?; \
    StatefulSetOrdinals: 1start:i; \
    StatefulSetPersistentVolumeClaimRetentionPolicy: 1whenDeleted:s? 2whenScaled:s?; \
    StatefulSetSpec: 1replicas:i 2selector:LabelSelector 3template:PodTemplateSpec \
        4volumeClaimTemplates:[PersistentVolumeClaim 5serviceName:s 6podManagementPolicy:s? \
        7updateStrategy:StatefulSetUpdateStrategy 8revisionHistoryLimit:i 9minReadySeconds:i? \
        10persistentVolumeClaimRetentionPolicy:StatefulSetPersistentVolumeClaimRetentionPolicy \
        11ordinals:StatefulSetOrdinals; \
    StatefulSetStatus: 1observedGeneration:l? 2replicas:i 3readyReplicas:i? 4currentReplicas:i? \
        5updatedReplicas:i? 6currentRevision:s? 7updateRevision:s? 9collisionCount:i \
        10conditions:[StatefulSetCondition 11availableReplicas:i; \
    StatefulSetUpdateStrategy: 1type:s? 2rollingUpdate:RollingUpdateStatefulSetStrategy;";

/// batch/v1: 16 messages.
pub(super) const BATCH: &str = "\
    CronJob: 1metadata:ObjectMeta 2spec:CronJobSpec 3status:CronJobStatus; \
    CronJobSpec: 1schedule:s 8timeZone:s 2startingDeadlineSeconds:l 3concurrencyPolicy:s? \
        4suspend:b 5jobTemplate:JobTemplateSpec 6successfulJobsHistoryLimit:i \
        7failedJobsHistoryLimit:i; \
    CronJobStatus: 1active:[ObjectReference 4lastScheduleTime:T 5lastSuccessfulTime:T; \
    Job: 1metadata:ObjectMeta 2spec:JobSpec 3status:JobStatus; \
    JobCondition: 1type:s 2status:s 3lastProbeTime:T 4lastTransitionTime:T 5reason:s? \
        6message:s?; \
    JobSchedulingConfiguration: 1schedulingPolicy:~ 2schedulingConstraints:~ 3disruptionMode:~ \
        4resourceClaims:[~; \
    JobSpec: 1parallelism:i 2completions:i 3activeDeadlineSeconds:l \
        11podFailurePolicy:PodFailurePolicy 16successPolicy:SuccessPolicy 7backoffLimit:i \
        12backoffLimitPerIndex:i 13maxFailedIndexes:i 4selector:LabelSelector 5manualSelector:b \
        6template:PodTemplateSpec 8ttlSecondsAfterFinished:i 9completionMode:s 10suspend:b \
        14podReplacementPolicy:s 15managedBy:s 17scheduling:JobSchedulingConfiguration; \
    JobStatus: 1conditions:[JobCondition 2startTime:T 3completionTime:T 4active:i? 5succeeded:i? \
        6failed:i? 11terminating:i 7completedIndexes:s? 10failedIndexes:s \
        8uncountedTerminatedPods:UncountedTerminatedPods 9ready:i; \
    JobTemplateSpec: 1metadata:ObjectMeta 2spec:JobSpec; \
    PodFailurePolicy: 1rules:[PodFailurePolicyRule; \
    PodFailurePolicyOnExitCodesRequirement: 1containerName:s 2operator:s 3values:[i; \
    PodFailurePolicyOnPodConditionsPattern: 1type:s 2status:s; \
    PodFailurePolicyRule: 1action:s 2onExitCodes:PodFailurePolicyOnExitCodesRequirement \
        3onPodConditions:[PodFailurePolicyOnPodConditionsPattern; \
    SuccessPolicy: 1rules:[SuccessPolicyRule; \
    SuccessPolicyRule: 1succeededIndexes:s 2succeededCount:i; \
    UncountedTerminatedPods: 1succeeded:[s 2failed:[s;";

/// authorization/v1: 15 messages.
pub(super) const AUTHORIZATION: &str = "\
    FieldSelectorAttributes: 1rawSelector:s? 2requirements:[FieldSelectorRequirement; \
    LabelSelectorAttributes: 1rawSelector:s? 2requirements:[LabelSelectorRequirement; \
    LocalSubjectAccessReview: 1metadata:ObjectMeta 2spec:SubjectAccessReviewSpec \
        3status:SubjectAccessReviewStatus; \
    NonResourceAttributes: 1path:s? 2verb:s?; \
    NonResourceRule: 1verbs:[s 2nonResourceURLs:[s; \
    ResourceAttributes: 1namespace:s? 2verb:s? 3group:s? 4version:s? 5resource:s? 6subresource:s? \
        7name:s? 8fieldSelector:FieldSelectorAttributes 9labelSelector:LabelSelectorAttributes; \
    ResourceRule: 1verbs:[s 2apiGroups:[s 3resources:[s 4resourceNames:[s; \
    SelfSubjectAccessReview: 1metadata:ObjectMeta 2spec:SelfSubjectAccessReviewSpec \
        3status:SubjectAccessReviewStatus; \
    SelfSubjectAccessReviewSpec: 1resourceAttributes:ResourceAttributes \
        2nonResourceAttributes:NonResourceAttributes; \
    SelfSubjectRulesReview: 1metadata:ObjectMeta 2spec:SelfSubjectRulesReviewSpec \
        3status:SubjectRulesReviewStatus; \
    SelfSubjectRulesReviewSpec: 1namespace:s?; \
    SubjectAccessReview: 1metadata:ObjectMeta 2spec:SubjectAccessReviewSpec \
        3status:SubjectAccessReviewStatus; \
    SubjectAccessReviewSpec: 1resourceAttributes:ResourceAttributes \
        2nonResourceAttributes:NonResourceAttributes 3user:s? 4groups:[s 5extra:{<s 6uid:s?; \
    SubjectAccessReviewStatus: 1allowed:b 4denied:b? 2reason:s? 3evaluationError:s?; \
    SubjectRulesReviewStatus: 1resourceRules:[ResourceRule 2nonResourceRules:[NonResourceRule \
        3incomplete:b 4evaluationError:s?;";

/// authentication/v1: 7 messages.
pub(super) const AUTHENTICATION: &str = "\
    BoundObjectReference: 1kind:s? 2apiVersion:s? 3name:s? 4uid:s?; \
    SelfSubjectReview: 1metadata:ObjectMeta 2status:SelfSubjectReviewStatus; \
    SelfSubjectReviewStatus: 1userInfo:UserInfo; \
    TokenRequest: 1metadata:ObjectMeta 2spec:TokenRequestSpec 3status:TokenRequestStatus; \
    TokenRequestSpec: 1audiences:[s 4expirationSeconds:l 3boundObjectRef:BoundObjectReference \
        5attestations:{<s; \
    TokenRequestStatus: 1token:s 2expirationTimestamp:T; \
    UserInfo: 1username:s? 2uid:s? 3groups:[s 4extra:{<s;";

/// policy/v1: 4 messages.
pub(super) const POLICY: &str = "\
    Eviction: 1metadata:ObjectMeta 2deleteOptions:DeleteOptions; \
    PodDisruptionBudget: 1metadata:ObjectMeta 2spec:PodDisruptionBudgetSpec \
        3status:PodDisruptionBudgetStatus; \
    PodDisruptionBudgetSpec: 1minAvailable:I 2selector:LabelSelector 3maxUnavailable:I \
        4unhealthyPodEvictionPolicy:s; \
    PodDisruptionBudgetStatus: 1observedGeneration:l? 2disruptedPods:{T 3disruptionsAllowed:i \
        4currentHealthy:i 5desiredHealthy:i 6expectedPods:i 7conditions:[Condition;";

/// rbac/v1: 8 messages.
pub(super) const RBAC: &str = "\
    AggregationRule: 1clusterRoleSelectors:[LabelSelector; \
    ClusterRole: 1metadata:ObjectMeta 2rules:[PolicyRule 3aggregationRule:AggregationRule; \
    ClusterRoleBinding: 1metadata:ObjectMeta 2subjects:[Subject 3roleRef:RoleRef; \
    PolicyRule: 1verbs:[s 2apiGroups:[s 3resources:[s 4resourceNames:[s 5nonResourceURLs:[s; \
    Role: 1metadata:ObjectMeta 2rules:[PolicyRule; \
    RoleBinding: 1metadata:ObjectMeta 2subjects:[Subject 3roleRef:RoleRef; \
    RoleRef: 1apiGroup:s 2kind:s 3name:s; \
    Subject: 1kind:s 2apiGroup:s? 3name:s 4namespace:s?;";

/// networking/v1: 14 messages.
pub(super) const NETWORKING: &str = "\
    HTTPIngressPath: 1path:s? 3pathType:s 2backend:IngressBackend; \
    HTTPIngressRuleValue: 1paths:[HTTPIngressPath; \
    Ingress: 1metadata:ObjectMeta 2spec:IngressSpec 3status:IngressStatus; \
    IngressBackend: 4service:IngressServiceBackend 3resource:TypedLocalObjectReference; \
    IngressLoadBalancerIngress: 1ip:s? 2hostname:s? 4ports:[IngressPortStatus; \
    IngressLoadBalancerStatus: 1ingress:[IngressLoadBalancerIngress; \
    IngressPortStatus: 1port:i 2protocol:s 3error:s; \
    IngressRule: 1host:s? 2:IngressRuleValue; \
    IngressRuleValue: 1http:HTTPIngressRuleValue; \
    IngressServiceBackend: 1name:s 2port:ServiceBackendPort; \
    IngressSpec: 4ingressClassName:s 1defaultBackend:IngressBackend 2tls:[IngressTLS \
        3rules:[IngressRule; \
    IngressStatus: 1loadBalancer:IngressLoadBalancerStatus; \
    IngressTLS: 1hosts:[s 2secretName:s?; \
    ServiceBackendPort: 1name:s? 2number:i?;";

/// scheduling/v1: 1 messages.
pub(super) const SCHEDULING: &str = "\
    PriorityClass: 1metadata:ObjectMeta 2value:i 3globalDefault:b? 4description:s? \
        5preemptionPolicy:s;";

/// Every group's table, in the order they are parsed.
pub(super) const ALL: &[&str] = &[
    META,
    CORE,
    APPS,
    BATCH,
    AUTHORIZATION,
    AUTHENTICATION,
    POLICY,
    RBAC,
    NETWORKING,
    SCHEDULING,
];
