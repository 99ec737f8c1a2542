//! The core/v1 part of the schema table (see `table.rs`), split off for its size.

/// core/v1: 161 messages.
pub(super) const CORE: &str = "\
    AWSElasticBlockStoreVolumeSource: 1volumeID:s 2fsType:s? 3partition:i? 4readOnly:b?; \
    Affinity: 1nodeAffinity:NodeAffinity 2podAffinity:PodAffinity \
        3podAntiAffinity:PodAntiAffinity; \
    AppArmorProfile: 1type:s 2localhostProfile:s; \
    AzureDiskVolumeSource: 1diskName:s 2diskURI:s 3cachingMode:s 4fsType:s 5readOnly:b 6kind:s; \
    AzureFileVolumeSource: 1secretName:s 2shareName:s 3readOnly:b?; \
    CSIVolumeSource: 1driver:s 2readOnly:b 3fsType:s 4volumeAttributes:{s \
        5nodePublishSecretRef:LocalObjectReference; \
    Capabilities: 1add:[s 2drop:[s; \
    CephFSVolumeSource: 1monitors:[s 2path:s? 3user:s? 4secretFile:s? \
        5secretRef:LocalObjectReference 6readOnly:b?; \
    CinderVolumeSource: 1volumeID:s 2fsType:s? 3readOnly:b? 4secretRef:LocalObjectReference; \
    ClientIPConfig: 1timeoutSeconds:i; \
    ClusterTrustBundleProjection: 1name:s 2signerName:s 3labelSelector:LabelSelector 5optional:b \
        4path:s 6user:l; \
    ConfigMap: 1metadata:ObjectMeta 4immutable:b 2data:{s 3binaryData:{y; \
    ConfigMapEnvSource: 1:LocalObjectReference 2optional:b; \
    ConfigMapKeySelector: 1:LocalObjectReference 2key:s 3optional:b; \
    ConfigMapProjection: 1:LocalObjectReference 2items:[KeyToPath 4optional:b; \
    ConfigMapVolumeSource: 1:LocalObjectReference 2items:[KeyToPath 3defaultMode:i 4optional:b \
        5defaultUser:l; \
    Container: 1name:s 2image:s? 3command:[s 4args:[s 5workingDir:s? 6ports:[ContainerPort \
        19envFrom:[EnvFromSource 7env:[EnvVar 8resources:ResourceRequirements \
        23resizePolicy:[ContainerResizePolicy 24restartPolicy:s \
        25restartPolicyRules:[ContainerRestartRule 9volumeMounts:[VolumeMount \
        21volumeDevices:[VolumeDevice 10livenessProbe:Probe 11readinessProbe:Probe \
        22startupProbe:Probe 12lifecycle:Lifecycle 13terminationMessagePath:s? \
        20terminationMessagePolicy:s? 14imagePullPolicy:s? 15securityContext:SecurityContext \
        16stdin:b? 17stdinOnce:b? 18tty:b?; \
    ContainerExtendedResourceRequest: 1containerName:s 2resourceName:s 3requestName:s; \
    ContainerPort: 1name:s? 2hostPort:i? 3containerPort:i 4protocol:s? 5hostIP:s?; \
    ContainerResizePolicy: 1resourceName:s 2restartPolicy:s; \
    ContainerRestartRule: 1action:s? 2exitCodes:ContainerRestartRuleOnExitCodes; \
    ContainerRestartRuleOnExitCodes: 1operator:s? 2values:[i; \
    ContainerState: 1waiting:ContainerStateWaiting 2running:ContainerStateRunning \
        3terminated:ContainerStateTerminated; \
    ContainerStateRunning: 1startedAt:T; \
    ContainerStateTerminated: 1exitCode:i 2signal:i? 3reason:s? 4message:s? 5startedAt:T \
        6finishedAt:T 7containerID:s?; \
    ContainerStateWaiting: 1reason:s? 2message:s?; \
    ContainerStatus: 1name:s 2state:ContainerState 3lastState:ContainerState 4ready:b \
        5restartCount:i 6image:s 7imageID:s 8containerID:s? 9started:b 10allocatedResources:{Q \
        11resources:ResourceRequirements 12volumeMounts:[VolumeMountStatus 13user:ContainerUser \
        14allocatedResourcesStatus:[ResourceStatus 15stopSignal:s; \
    ContainerUser: 1linux:LinuxContainerUser; \
    DownwardAPIProjection: 1items:[DownwardAPIVolumeFile; \
    DownwardAPIVolumeFile: 1path:s 2fieldRef:ObjectFieldSelector \
        3resourceFieldRef:ResourceFieldSelector 4mode:i 5user:l; \
    DownwardAPIVolumeSource: 1items:[DownwardAPIVolumeFile 2defaultMode:i 3defaultUser:l; \
    EmptyDirVolumeSource: 1medium:s? 2sizeLimit:Q 3mode:i; \
    EnvFromSource: 1prefix:s? 2configMapRef:ConfigMapEnvSource 3secretRef:SecretEnvSource; \
    EnvVar: 1name:s 2value:s? 3valueFrom:EnvVarSource; \
    EnvVarSource: 1fieldRef:ObjectFieldSelector 2resourceFieldRef:ResourceFieldSelector \
        3configMapKeyRef:ConfigMapKeySelector 4secretKeyRef:SecretKeySelector \
        5fileKeyRef:FileKeySelector; \
    EphemeralContainer: 1:EphemeralContainerCommon 2targetContainerName:s?; \
    EphemeralContainerCommon: 1name:s 2image:s? 3command:[s 4args:[s 5workingDir:s? \
        6ports:[ContainerPort 19envFrom:[EnvFromSource 7env:[EnvVar \
        8resources:ResourceRequirements 23resizePolicy:[ContainerResizePolicy 24restartPolicy:s \
        25restartPolicyRules:[ContainerRestartRule 9volumeMounts:[VolumeMount \
        21volumeDevices:[VolumeDevice 10livenessProbe:Probe 11readinessProbe:Probe \
        22startupProbe:Probe 12lifecycle:Lifecycle 13terminationMessagePath:s? \
        20terminationMessagePolicy:s? 14imagePullPolicy:s? 15securityContext:SecurityContext \
        16stdin:b? 17stdinOnce:b? 18tty:b?; \
    EphemeralVolumeSource: 1volumeClaimTemplate:PersistentVolumeClaimTemplate; \
    EvictionResponder: 1name:s 2priority:i; \
    ExecAction: 1command:[s; \
    FCVolumeSource: 1targetWWNs:[s 2lun:i 3fsType:s? 4readOnly:b? 5wwids:[s; \
    FileKeySelector: 1volumeName:s 2path:s 3key:s 4optional:b; \
    FlexVolumeSource: 1driver:s 2fsType:s? 3secretRef:LocalObjectReference 4readOnly:b? \
        5options:{s; \
    FlockerVolumeSource: 1datasetName:s? 2datasetUUID:s?; \
    GCEPersistentDiskVolumeSource: 1pdName:s 2fsType:s? 3partition:i? 4readOnly:b?; \
    GRPCAction: 1port:i 2service:s 3mode:s; \
    GitRepoVolumeSource: 1repository:s 2revision:s? 3directory:s?; \
    GlusterfsVolumeSource: 1endpoints:s 2path:s 3readOnly:b?; \
    HTTPGetAction: 1path:s? 2port:I 3host:s? 4scheme:s? 5httpHeaders:[HTTPHeader 6protocol:s; \
    HTTPHeader: 1name:s 2value:s; \
    HostAlias: 1ip:s 2hostnames:[s; \
    HostIP: 1ip:s; \
    HostPathVolumeSource: 1path:s 2type:s; \
    ISCSIVolumeSource: 1targetPortal:s 2iqn:s 3lun:i 4iscsiInterface:s? 5fsType:s? 6readOnly:b? \
        7portals:[s 8chapAuthDiscovery:b? 11chapAuthSession:b? 10secretRef:LocalObjectReference \
        12initiatorName:s; \
    ImageVolumeSource: 1reference:s? 2pullPolicy:s?; \
    ImageVolumeStatus: 1imageRef:s?; \
    KeyToPath: 1key:s 2path:s 3mode:i 4user:l; \
    Lifecycle: 1postStart:LifecycleHandler 2preStop:LifecycleHandler 3stopSignal:s; \
    LifecycleHandler: 1exec:ExecAction 2httpGet:HTTPGetAction 3tcpSocket:TCPSocketAction \
        4sleep:SleepAction; \
    LinuxContainerUser: 1uid:l 2gid:l 3supplementalGroups:[l; \
    LoadBalancerIngress: 1ip:s? 2hostname:s? 3ipMode:s 4ports:[PortStatus; \
    LoadBalancerStatus: 1ingress:[LoadBalancerIngress; \
    LocalObjectReference: 1name:s?; \
    ModifyVolumeStatus: 1targetVolumeAttributesClassName:s? 2status:s; \
    NFSVolumeSource: 1server:s 2path:s 3readOnly:b?; \
    Namespace: 1metadata:ObjectMeta 2spec:NamespaceSpec 3status:NamespaceStatus; \
    NamespaceCondition: 1type:s 2status:s 4lastTransitionTime:T 5reason:s? 6message:s?; \
    NamespaceSpec: 1finalizers:[s; \
    NamespaceStatus: 1phase:s? 2conditions:[NamespaceCondition; \
    NodeAffinity: 1requiredDuringSchedulingIgnoredDuringExecution:NodeSelector \
        2preferredDuringSchedulingIgnoredDuringExecution:[PreferredSchedulingTerm; \
    NodeAllocatableMappedResources: 1name:s 2quantity:Q; \
    NodeAllocatableOverheadResources: 1name:s 2perPod:Q 3perContainer:Q; \
    NodeAllocatableResourceClaimStatus: 1resourceClaimName:s 2containers:[s \
        4mapping:[NodeAllocatableMappedResources 5overhead:[NodeAllocatableOverheadResources; \
    NodeSelector: 1nodeSelectorTerms:[NodeSelectorTerm; \
    NodeSelectorRequirement: 1key:s 2operator:s 3values:[s; \
    NodeSelectorTerm: 1matchExpressions:[NodeSelectorRequirement \
        2matchFields:[NodeSelectorRequirement; \
    ObjectFieldSelector: 1apiVersion:s? 2fieldPath:s; \
    ObjectReference: 1kind:s? 2namespace:s? 3name:s? 4uid:s? 5apiVersion:s? 6resourceVersion:s? \
        7fieldPath:s?; \
    PersistentVolumeClaim: 1metadata:ObjectMeta 2spec:PersistentVolumeClaimSpec \
        3status:PersistentVolumeClaimStatus; \
    PersistentVolumeClaimCondition: 1type:s 2status:s 3lastProbeTime:T 4lastTransitionTime:T \
        5reason:s? 6message:s?; \
    PersistentVolumeClaimSpec: 1accessModes:[s 4selector:LabelSelector \
        2resources:VolumeResourceRequirements 3volumeName:s? 5storageClassName:s 6volumeMode:s \
        7dataSource:TypedLocalObjectReference 8dataSourceRef:TypedObjectReference \
        9volumeAttributesClassName:s; \
    PersistentVolumeClaimStatus: 1phase:s? 2accessModes:[s 3capacity:{Q \
        4conditions:[PersistentVolumeClaimCondition 5allocatedResources:{Q \
        7allocatedResourceStatuses:{s 8currentVolumeAttributesClassName:s \
        9modifyVolumeStatus:ModifyVolumeStatus 10healthStatus:VolumeHealthStatus; \
    PersistentVolumeClaimTemplate: 1metadata:ObjectMeta 2spec:PersistentVolumeClaimSpec; \
    PersistentVolumeClaimVolumeSource: 1claimName:s 2readOnly:b?; \
    PhotonPersistentDiskVolumeSource: 1pdID:s 2fsType:s?; \
    Pod: 1metadata:ObjectMeta 2spec:PodSpec 3status:PodStatus; \
    PodAffinity: 1requiredDuringSchedulingIgnoredDuringExecution:[PodAffinityTerm \
        2preferredDuringSchedulingIgnoredDuringExecution:[WeightedPodAffinityTerm; \
    PodAffinityTerm: 1labelSelector:LabelSelector 2namespaces:[s 3topologyKey:s \
        4namespaceSelector:LabelSelector 5matchLabelKeys:[s 6mismatchLabelKeys:[s; \
    PodAntiAffinity: 1requiredDuringSchedulingIgnoredDuringExecution:[PodAffinityTerm \
        2preferredDuringSchedulingIgnoredDuringExecution:[WeightedPodAffinityTerm; \
    PodCertificateProjection: 1signerName:s? 2keyType:s? 3maxExpirationSeconds:i \
        4credentialBundlePath:s? 5keyPath:s? 6certificateChainPath:s? 7userAnnotations:{s \
        8user:l; \
    PodCondition: 1type:s 7observedGeneration:l? 2status:s 3lastProbeTime:T 4lastTransitionTime:T \
        5reason:s? 6message:s?; \
    PodDNSConfig: 1nameservers:[s 2searches:[s 3options:[PodDNSConfigOption; \
    PodDNSConfigOption: 1name:s? 2value:s; \
    PodExtendedResourceClaimStatus: 1requestMappings:[ContainerExtendedResourceRequest \
        2resourceClaimName:s; \
    PodIP: 1ip:s; \
    PodOS: 1name:s; \
    PodReadinessGate: 1conditionType:s; \
    PodResourceClaim: 1name:s 3resourceClaimName:s 4resourceClaimTemplateName:s; \
    PodResourceClaimStatus: 1name:s 2resourceClaimName:s; \
    PodSchedulingGate: 1name:s; \
    PodSchedulingGroup: 1podGroupName:s; \
    PodSecurityContext: 1seLinuxOptions:SELinuxOptions \
        8windowsOptions:WindowsSecurityContextOptions 2runAsUser:l 6runAsGroup:l 3runAsNonRoot:b \
        4supplementalGroups:[l 12supplementalGroupsPolicy:s 5fsGroup:l 7sysctls:[Sysctl \
        9fsGroupChangePolicy:s 10seccompProfile:SeccompProfile 11appArmorProfile:AppArmorProfile \
        13seLinuxChangePolicy:s; \
    PodSpec: 1volumes:[Volume 20initContainers:[Container 2containers:[Container \
        34ephemeralContainers:[EphemeralContainer 3restartPolicy:s? \
        4terminationGracePeriodSeconds:l 5activeDeadlineSeconds:l 6dnsPolicy:s? 7nodeSelector:{s \
        8serviceAccountName:s? 9serviceAccount:s? 21automountServiceAccountToken:b 10nodeName:s? \
        11hostNetwork:b? 12hostPID:b? 13hostIPC:b? 27shareProcessNamespace:b \
        14securityContext:PodSecurityContext 15imagePullSecrets:[LocalObjectReference \
        16hostname:s? 17subdomain:s? 18affinity:Affinity 19schedulerName:s? \
        22tolerations:[Toleration 23hostAliases:[HostAlias 24priorityClassName:s? 25priority:i \
        26dnsConfig:PodDNSConfig 28readinessGates:[PodReadinessGate 29runtimeClassName:s \
        30enableServiceLinks:b 31preemptionPolicy:s 32overhead:{Q \
        33topologySpreadConstraints:[TopologySpreadConstraint 35setHostnameAsFQDN:b 36os:PodOS \
        37hostUsers:b 38schedulingGates:[PodSchedulingGate 39resourceClaims:[PodResourceClaim \
        40resources:ResourceRequirements 41hostnameOverride:s \
        43schedulingGroup:PodSchedulingGroup 44evictionResponders:[EvictionResponder; \
    PodStatus: 17observedGeneration:l? 1phase:s? 2conditions:[PodCondition 3message:s? 4reason:s? \
        11nominatedNodeName:s? 5hostIP:s? 16hostIPs:[HostIP 6podIP:s? 12podIPs:[PodIP \
        7startTime:T 10initContainerStatuses:[ContainerStatus 8containerStatuses:[ContainerStatus \
        9qosClass:s? 13ephemeralContainerStatuses:[ContainerStatus 14resize:s? \
        15resourceClaimStatuses:[PodResourceClaimStatus \
        18extendedResourceClaimStatus:PodExtendedResourceClaimStatus 19allocatedResources:{Q \
        20resources:ResourceRequirements \
        21nodeAllocatableResourceClaimStatuses:[NodeAllocatableResourceClaimStatus \
        22volumeHealth:[PodVolumeHealth; \
    PodTemplateSpec: 1metadata:ObjectMeta 2spec:PodSpec; \
    PodVolumeHealth: 1name:s 2healthConditions:[VolumeHealthCondition 3lastTransitionTime:T; \
    PortStatus: 1port:i 2protocol:s 3error:s; \
    PortworxVolumeSource: 1volumeID:s 2fsType:s? 3readOnly:b?; \
    PreferredSchedulingTerm: 1weight:i 2preference:NodeSelectorTerm; \
    Probe: 1:ProbeHandler 2initialDelaySeconds:i? 3timeoutSeconds:i? 4periodSeconds:i? \
        5successThreshold:i? 6failureThreshold:i? 7terminationGracePeriodSeconds:l; \
    ProbeHandler: 1exec:ExecAction 2httpGet:HTTPGetAction 3tcpSocket:TCPSocketAction \
        4grpc:GRPCAction; \
    ProjectedVolumeSource: 1sources:[VolumeProjection 2defaultMode:i 3defaultUser:l; \
    QuobyteVolumeSource: 1registry:s 2volume:s 3readOnly:b? 4user:s? 5group:s? 6tenant:s?; \
    RBDVolumeSource: 1monitors:[s 2image:s 3fsType:s? 4pool:s? 5user:s? 6keyring:s? \
        7secretRef:LocalObjectReference 8readOnly:b?; \
    ResourceClaim: 1name:s 2request:s?; \
    ResourceFieldSelector: 1containerName:s? 2resource:s 3divisor:Q; \
    ResourceHealth: 1resourceID:s 2health:s? 6message:s; \
    ResourceQuota: 1metadata:ObjectMeta 2spec:ResourceQuotaSpec 3status:ResourceQuotaStatus; \
    ResourceQuotaSpec: 1hard:{Q 2scopes:[s 3scopeSelector:ScopeSelector; \
    ResourceQuotaStatus: 1hard:{Q 2used:{Q; \
    ResourceRequirements: 1limits:{Q 2requests:{Q 3claims:[ResourceClaim; \
    ResourceStatus: 1name:s 2resources:[ResourceHealth; \
    SELinuxOptions: 1user:s? 2role:s? 3type:s? 4level:s?; \
    ScaleIOVolumeSource: 1gateway:s 2system:s 3secretRef:LocalObjectReference 4sslEnabled:b? \
        5protectionDomain:s? 6storagePool:s? 7storageMode:s? 8volumeName:s? 9fsType:s? \
        10readOnly:b?; \
    ScopeSelector: 1matchExpressions:[ScopedResourceSelectorRequirement; \
    ScopedResourceSelectorRequirement: 1scopeName:s 2operator:s 3values:[s; \
    SeccompProfile: 1type:s 2localhostProfile:s; \
    Secret: 1metadata:ObjectMeta 5immutable:b 2data:{y 4stringData:{s 3type:s?; \
    SecretEnvSource: 1:LocalObjectReference 2optional:b; \
    SecretKeySelector: 1:LocalObjectReference 2key:s 3optional:b; \
    SecretProjection: 1:LocalObjectReference 2items:[KeyToPath 4optional:b; \
    SecretVolumeSource: 1secretName:s? 2items:[KeyToPath 3defaultMode:i 4optional:b \
        5defaultUser:l; \
    SecurityContext: 1capabilities:Capabilities 2privileged:b 3seLinuxOptions:SELinuxOptions \
        10windowsOptions:WindowsSecurityContextOptions 4runAsUser:l 8runAsGroup:l 5runAsNonRoot:b \
        6readOnlyRootFilesystem:b 7allowPrivilegeEscalation:b 9procMount:s \
        11seccompProfile:SeccompProfile 12appArmorProfile:AppArmorProfile; \
    Service: 1metadata:ObjectMeta 2spec:ServiceSpec 3status:ServiceStatus; \
    ServiceAccount: 1metadata:ObjectMeta 2secrets:[ObjectReference \
        3imagePullSecrets:[LocalObjectReference 4automountServiceAccountToken:b; \
    ServiceAccountTokenProjection: 1audience:s? 2expirationSeconds:l 3path:s 4user:l; \
    ServicePort: 1name:s? 2protocol:s? 6appProtocol:s 3port:i 4targetPort:I 5nodePort:i?; \
    ServiceSpec: 1ports:[ServicePort 2selector:{s 3clusterIP:s? 18clusterIPs:[s 4type:s? \
        5externalIPs:[s 7sessionAffinity:s? 8loadBalancerIP:s? 9loadBalancerSourceRanges:[s \
        10externalName:s? 11externalTrafficPolicy:s? 12healthCheckNodePort:i? \
        13publishNotReadyAddresses:b? 14sessionAffinityConfig:SessionAffinityConfig \
        19ipFamilies:[s 17ipFamilyPolicy:s 20allocateLoadBalancerNodePorts:b \
        21loadBalancerClass:s 22internalTrafficPolicy:s 23trafficDistribution:s; \
    ServiceStatus: 1loadBalancer:LoadBalancerStatus 2conditions:[Condition; \
    SessionAffinityConfig: 1clientIP:ClientIPConfig; \
    SleepAction: 1seconds:l; \
    StorageOSVolumeSource: 1volumeName:s? 2volumeNamespace:s? 3fsType:s? 4readOnly:b? \
        5secretRef:LocalObjectReference; \
    Sysctl: 1name:s 2value:s; \
    TCPSocketAction: 1port:I 2host:s?; \
    Toleration: 1key:s? 2operator:s? 3value:s? 4effect:s? 5tolerationSeconds:l; \
    TopologySpreadConstraint: 1maxSkew:i 2topologyKey:s 3whenUnsatisfiable:s \
        4labelSelector:LabelSelector 5minDomains:i 6nodeAffinityPolicy:s 7nodeTaintsPolicy:s \
        8matchLabelKeys:[s; \
    TypedLocalObjectReference: 1apiGroup:s 2kind:s 3name:s; \
    TypedObjectReference: 1apiGroup:s 2kind:s 3name:s 4namespace:s; \
    Volume: 1name:s 2:VolumeSource; \
    VolumeDevice: 1name:s 2devicePath:s; \
    VolumeHealthCondition: 1status:s 2reason:s 3message:s?; \
    VolumeHealthStatus: 1healthConditions:[VolumeHealthCondition 2lastTransitionTime:T; \
    VolumeMount: 1name:s 2readOnly:b? 7recursiveReadOnly:s 3mountPath:s 4subPath:s? \
        5mountPropagation:s 6subPathExpr:s? 8bindMountOptions:[s; \
    VolumeMountStatus: 1name:s 2mountPath:s 3readOnly:b? 4recursiveReadOnly:s \
        5volumeStatus:VolumeStatus; \
    VolumeProjection: 1secret:SecretProjection 2downwardAPI:DownwardAPIProjection \
        3configMap:ConfigMapProjection 4serviceAccountToken:ServiceAccountTokenProjection \
        5clusterTrustBundle:ClusterTrustBundleProjection \
        6podCertificate:PodCertificateProjection; \
    VolumeResourceRequirements: 1limits:{Q 2requests:{Q; \
    VolumeSource: 1hostPath:HostPathVolumeSource 2emptyDir:EmptyDirVolumeSource \
        3gcePersistentDisk:GCEPersistentDiskVolumeSource \
        4awsElasticBlockStore:AWSElasticBlockStoreVolumeSource 5gitRepo:GitRepoVolumeSource \
        6secret:SecretVolumeSource 7nfs:NFSVolumeSource 8iscsi:ISCSIVolumeSource \
        9glusterfs:GlusterfsVolumeSource \
        10persistentVolumeClaim:PersistentVolumeClaimVolumeSource 11rbd:RBDVolumeSource \
        12flexVolume:FlexVolumeSource 13cinder:CinderVolumeSource 14cephfs:CephFSVolumeSource \
        15flocker:FlockerVolumeSource 16downwardAPI:DownwardAPIVolumeSource 17fc:FCVolumeSource \
        18azureFile:AzureFileVolumeSource 19configMap:ConfigMapVolumeSource \
        20vsphereVolume:VsphereVirtualDiskVolumeSource 21quobyte:QuobyteVolumeSource \
        22azureDisk:AzureDiskVolumeSource 23photonPersistentDisk:PhotonPersistentDiskVolumeSource \
        26projected:ProjectedVolumeSource 24portworxVolume:PortworxVolumeSource \
        25scaleIO:ScaleIOVolumeSource 27storageos:StorageOSVolumeSource 28csi:CSIVolumeSource \
        29ephemeral:EphemeralVolumeSource 30image:ImageVolumeSource; \
    VolumeStatus: 1image:ImageVolumeStatus; \
    VsphereVirtualDiskVolumeSource: 1volumePath:s 2fsType:s? 3storagePolicyName:s? \
        4storagePolicyID:s?; \
    WeightedPodAffinityTerm: 1weight:i 2podAffinityTerm:PodAffinityTerm; \
    WindowsSecurityContextOptions: 1gmsaCredentialSpecName:s 2gmsaCredentialSpec:s \
        3runAsUserName:s 4hostProcess:b;";
