package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

const (
	partOfLabel = "app.kubernetes.io/part-of"
	nameLabel   = "app.kubernetes.io/name"
	placeholder = "REPLACE-ME"
)

// Variables that only a Secret may carry, and who needs them.
var secretVars = []string{"REDIS_URL", "MONGO_URL", "JWT_SECRET", "ADMIN_PASSWORD"}

func requiredVars(app string) []string {
	switch app {
	case "gateway":
		return []string{"NODE_ENV", "REDIS_URL", "GATEWAY_PORT", "JWT_SECRET"}
	case "user-preferences":
		return []string{"NODE_ENV", "REDIS_URL", "MONGO_URL", "HEALTH_PORT", "ADMIN_USERNAME", "ADMIN_PASSWORD"}
	}
	return []string{"NODE_ENV", "REDIS_URL", "MONGO_URL", "HEALTH_PORT"}
}

type kubeObjects struct {
	deployments  map[string]*appsv1.Deployment
	services     map[string]*corev1.Service
	hpas         map[string]*autoscalingv2.HorizontalPodAutoscaler
	configMaps   map[string]*corev1.ConfigMap
	secrets      map[string]*corev1.Secret
	ingresses    []*networkingv1.Ingress
	pdbs         []*policyv1.PodDisruptionBudget
	namespaces   []*corev1.Namespace
	serviceAccts map[string]*corev1.ServiceAccount
	all          []metav1.Object
	kinds        map[string]int
}

func checkKustomize(dir, profile, out string) {
	p := &problems{subject: "kustomize " + dir + " (" + profile + ")"}
	allowPlaceholders := os.Getenv("DEPLOYCHECK_ALLOW_PLACEHOLDERS") == "1"

	// 1. Render with kustomize's own library (kustomization files are decoded with unknown fields
	// rejected), as `kustomize build` / `kubectl kustomize` would.
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		p.add("kustomize build: %v", err)
		p.exit("")
	}
	if out != "" {
		y, err := resMap.AsYaml()
		if err == nil {
			err = os.WriteFile(out, y, 0o644)
		}
		if err != nil {
			p.add("write %s: %v", out, err)
		}
	}

	// 2. Strict decode of every object into the Kubernetes API types: unknown and duplicate fields
	// are errors, so are wrong types, and so is any kind not registered below.
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme, networkingv1.AddToScheme, policyv1.AddToScheme} {
		if err := add(scheme); err != nil {
			panic(err)
		}
	}
	decoder := serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
	objs := &kubeObjects{
		deployments: map[string]*appsv1.Deployment{}, services: map[string]*corev1.Service{},
		hpas: map[string]*autoscalingv2.HorizontalPodAutoscaler{}, configMaps: map[string]*corev1.ConfigMap{},
		secrets: map[string]*corev1.Secret{}, serviceAccts: map[string]*corev1.ServiceAccount{}, kinds: map[string]int{},
	}
	for _, r := range resMap.Resources() {
		y, err := r.AsYAML()
		if err != nil {
			p.add("%s: %v", r.CurId(), err)
			continue
		}
		obj, gvk, err := decoder.Decode(y, nil, nil)
		if err != nil {
			p.add("%s %s: %v", r.GetKind(), r.GetName(), err)
			continue
		}
		objs.kinds[gvk.Kind]++
		m, _ := obj.(metav1.Object)
		objs.all = append(objs.all, m)
		switch o := obj.(type) {
		case *appsv1.Deployment:
			objs.deployments[o.Name] = o
		case *corev1.Service:
			objs.services[o.Name] = o
		case *autoscalingv2.HorizontalPodAutoscaler:
			objs.hpas[o.Name] = o
		case *corev1.ConfigMap:
			objs.configMaps[o.Name] = o
		case *corev1.Secret:
			objs.secrets[o.Name] = o
		case *networkingv1.Ingress:
			objs.ingresses = append(objs.ingresses, o)
		case *policyv1.PodDisruptionBudget:
			objs.pdbs = append(objs.pdbs, o)
		case *corev1.Namespace:
			objs.namespaces = append(objs.namespaces, o)
		case *corev1.ServiceAccount:
			objs.serviceAccts[o.Name] = o
		}
		for _, msg := range validation.IsDNS1123Subdomain(m.GetName()) {
			p.add("%s %q: bad name: %s", gvk.Kind, m.GetName(), msg)
		}
		if m.GetLabels()[partOfLabel] != "testpulse" {
			p.add("%s %s: no common label %s=testpulse", gvk.Kind, m.GetName(), partOfLabel)
		}
	}
	if len(p.list) > 0 {
		p.exit("") // the rules below assume well-formed objects
	}

	// 3. testpulse's rules.
	checkConfigAndSecrets(p, objs, profile, allowPlaceholders)
	for _, app := range appNames() {
		checkApp(p, objs, app, profile)
	}
	for name := range objs.deployments {
		if _, ok := appPorts[name]; !ok {
			p.add("Deployment %s is not one of the apps", name)
		}
	}
	checkExposure(p, objs)
	if profile == "production" {
		checkProduction(p, objs)
	}

	var kinds []string
	for k, n := range objs.kinds {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(kinds)
	p.exit(fmt.Sprintf("%d objects strictly decoded: %s", len(objs.all), strings.Join(kinds, ", ")))
}

func checkConfigAndSecrets(p *problems, objs *kubeObjects, profile string, allowPlaceholders bool) {
	if len(objs.configMaps) != 1 {
		p.add("want exactly one ConfigMap (the shared config), got %d", len(objs.configMaps))
	}
	secretLike := regexp.MustCompile(`(SECRET|PASSWORD|TOKEN|PRIVATE|CREDENTIAL)`)
	for name, cm := range objs.configMaps {
		if !regexp.MustCompile(`^testpulse-config-[a-z0-9]{10}$`).MatchString(name) {
			p.add("ConfigMap %s: expected the configMapGenerator's testpulse-config-<hash>", name)
		}
		for k := range cm.Data {
			if slices.Contains(secretVars, k) || secretLike.MatchString(k) {
				p.add("ConfigMap %s holds %s: secrets belong in a Secret", name, k)
			}
		}
	}
	if len(objs.secrets) == 0 {
		p.add("no Secret: secrets must be separate from the ConfigMap")
	}
	for name, s := range objs.secrets {
		if !regexp.MustCompile(`-[a-z0-9]{10}$`).MatchString(name) {
			p.add("Secret %s: expected a secretGenerator name (<name>-<hash>)", name)
		}
		if len(s.StringData) > 0 {
			p.add("Secret %s: use secretGenerator, not stringData", name)
		}
		for k, v := range s.Data {
			isPlaceholder := strings.Contains(string(v), placeholder)
			if profile == "base" && !isPlaceholder {
				p.add("Secret %s key %s: base values must be obvious placeholders containing %s", name, k, placeholder)
			}
			if profile == "production" && isPlaceholder && !allowPlaceholders {
				p.add("Secret %s key %s still holds a placeholder: put the real value into the overlay's secrets/*.env", name, k)
			}
			if k == "JWT_SECRET" && len(v) < 32 {
				p.add("Secret %s: JWT_SECRET must be at least 32 characters", name)
			}
			if k == "ADMIN_PASSWORD" && len(v) < 8 {
				p.add("Secret %s: ADMIN_PASSWORD must be at least 8 characters", name)
			}
		}
	}
}

func checkApp(p *problems, objs *kubeObjects, app, profile string) {
	port := int32(appPorts[app])
	d := objs.deployments[app]
	if d == nil {
		p.add("%s: no Deployment", app)
		return
	}
	tmplLabels := d.Spec.Template.Labels
	if d.Spec.Selector == nil || len(d.Spec.Selector.MatchLabels) == 0 {
		p.add("%s: Deployment has no selector", app)
	} else if !subset(d.Spec.Selector.MatchLabels, tmplLabels) {
		p.add("%s: selector %v does not match the pod labels %v", app, d.Spec.Selector.MatchLabels, tmplLabels)
	}
	if tmplLabels[nameLabel] != app || tmplLabels[partOfLabel] != "testpulse" {
		p.add("%s: pod labels must include %s=%s and %s=testpulse", app, nameLabel, app, partOfLabel)
	}
	if d.Spec.Replicas != nil {
		p.add("%s: Deployment sets replicas, which fights its HorizontalPodAutoscaler", app)
	}
	pod := d.Spec.Template.Spec
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		p.add("%s: pod securityContext.runAsNonRoot must be true", app)
	}
	if psc != nil && psc.RunAsUser != nil && *psc.RunAsUser == 0 {
		p.add("%s: pod runs as uid 0", app)
	}
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		p.add("%s: pod seccompProfile should be RuntimeDefault", app)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		p.add("%s: automountServiceAccountToken should be false (the apps call no Kubernetes API)", app)
	}
	if pod.EnableServiceLinks == nil || *pod.EnableServiceLinks {
		// Service links would inject GATEWAY_PORT=tcp://<ip>:80 (from the Service "gateway") and
		// the like into every pod: names the apps read as their own settings.
		p.add("%s: enableServiceLinks must be false (the link variables clash with GATEWAY_PORT)", app)
	}
	if sa := pod.ServiceAccountName; sa != "" && objs.serviceAccts[sa] == nil {
		p.add("%s: serviceAccountName %s is not defined", app, sa)
	}
	if len(pod.Containers) != 1 {
		p.add("%s: want exactly one container, got %d", app, len(pod.Containers))
		return
	}
	c := pod.Containers[0]
	if !regexp.MustCompile(`(^|/)`+regexp.QuoteMeta(app)+`(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[0-9a-f]{64})?$`).MatchString(c.Image) ||
		!(strings.Contains(c.Image, ":") || strings.Contains(c.Image, "@")) || strings.HasSuffix(c.Image, ":latest") {
		p.add("%s: image %q must be <registry/>%s with a version tag or digest (not latest)", app, c.Image, app)
	}
	csc := c.SecurityContext
	if csc == nil || csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem {
		p.add("%s: container securityContext.readOnlyRootFilesystem must be true", app)
	}
	if csc == nil || csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation {
		p.add("%s: container securityContext.allowPrivilegeEscalation must be false", app)
	}
	if csc == nil || csc.Capabilities == nil || !slices.Contains(csc.Capabilities.Drop, corev1.Capability("ALL")) {
		p.add("%s: container must drop ALL capabilities", app)
	}
	if csc != nil && csc.Privileged != nil && *csc.Privileged {
		p.add("%s: container is privileged", app)
	}
	if csc != nil && csc.RunAsUser != nil && *csc.RunAsUser == 0 {
		p.add("%s: container runs as uid 0", app)
	}
	if !slices.ContainsFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.MountPath == "/tmp" && !m.ReadOnly }) {
		p.add("%s: mount a writable emptyDir at /tmp (the root filesystem is read-only)", app)
	}
	for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := c.Resources.Requests[res]
		lim, hasLim := c.Resources.Limits[res]
		if !hasReq || !hasLim {
			p.add("%s: resources need both requests and limits of %s", app, res)
		} else if req.Cmp(lim) > 0 {
			p.add("%s: %s request %s exceeds its limit %s", app, res, req.String(), lim.String())
		} else if req.Cmp(resource.MustParse("0")) <= 0 {
			p.add("%s: %s request must be positive", app, res)
		}
	}
	if !slices.ContainsFunc(c.Ports, func(cp corev1.ContainerPort) bool { return cp.ContainerPort == port }) {
		p.add("%s: no containerPort %d", app, port)
	}
	probe := func(kind string, pr *corev1.Probe, wantPath string) {
		if pr == nil || pr.HTTPGet == nil {
			p.add("%s: %s must be an httpGet probe of %s", app, kind, wantPath)
			return
		}
		if pr.HTTPGet.Path != wantPath {
			p.add("%s: %s path %q, want %q", app, kind, pr.HTTPGet.Path, wantPath)
		}
		if got := resolvePort(pr.HTTPGet.Port, c.Ports); got != port {
			p.add("%s: %s port %s resolves to %d, want %d", app, kind, pr.HTTPGet.Port.String(), got, port)
		}
	}
	probe("livenessProbe", c.LivenessProbe, "/health/live")
	probe("readinessProbe", c.ReadinessProbe, "/health/ready")
	if c.StartupProbe != nil {
		probe("startupProbe", c.StartupProbe, "/health/live")
	}

	// Environment: where each variable comes from, and that every reference resolves.
	source := map[string]string{} // var -> "literal" | "configmap" | "secret"
	usesConfigMap, usesSecret := false, false
	for _, ef := range c.EnvFrom {
		switch {
		case ef.ConfigMapRef != nil:
			usesConfigMap = true
			cm := objs.configMaps[ef.ConfigMapRef.Name]
			if cm == nil {
				p.add("%s: envFrom ConfigMap %s does not exist", app, ef.ConfigMapRef.Name)
				continue
			}
			for k := range cm.Data {
				source[ef.Prefix+k] = "configmap"
			}
		case ef.SecretRef != nil:
			usesSecret = true
			s := objs.secrets[ef.SecretRef.Name]
			if s == nil {
				p.add("%s: envFrom Secret %s does not exist", app, ef.SecretRef.Name)
				continue
			}
			for k := range s.Data {
				source[ef.Prefix+k] = "secret"
			}
		}
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			source[e.Name] = "literal"
		case e.ValueFrom.SecretKeyRef != nil:
			usesSecret = true
			ref := e.ValueFrom.SecretKeyRef
			if s := objs.secrets[ref.Name]; s == nil {
				p.add("%s: env %s: Secret %s does not exist", app, e.Name, ref.Name)
			} else if _, ok := s.Data[ref.Key]; !ok {
				p.add("%s: env %s: Secret %s has no key %s", app, e.Name, ref.Name, ref.Key)
			}
			source[e.Name] = "secret"
		case e.ValueFrom.ConfigMapKeyRef != nil:
			usesConfigMap = true
			ref := e.ValueFrom.ConfigMapKeyRef
			if cm := objs.configMaps[ref.Name]; cm == nil {
				p.add("%s: env %s: ConfigMap %s does not exist", app, e.Name, ref.Name)
			} else if _, ok := cm.Data[ref.Key]; !ok {
				p.add("%s: env %s: ConfigMap %s has no key %s", app, e.Name, ref.Name, ref.Key)
			}
			source[e.Name] = "configmap"
		default:
			source[e.Name] = "literal"
		}
	}
	if !usesConfigMap || !usesSecret {
		p.add("%s: environment must come from the shared ConfigMap and from Secrets", app)
	}
	for _, v := range requiredVars(app) {
		if source[v] == "" {
			p.add("%s: environment lacks %s", app, v)
		}
	}
	for v, src := range source {
		if slices.Contains(secretVars, v) && src != "secret" {
			p.add("%s: %s comes from a %s, must come from a Secret", app, v, src)
		}
	}
	portVar := "HEALTH_PORT"
	if app == "gateway" {
		portVar = "GATEWAY_PORT"
	}
	for _, e := range c.Env {
		if e.Name == portVar && e.Value != fmt.Sprint(port) {
			p.add("%s: %s=%q, want %d", app, portVar, e.Value, port)
		}
	}
	if pod.TerminationGracePeriodSeconds != nil {
		if cm := firstConfigMap(objs); cm != nil {
			if ms, ok := cm.Data["SHUTDOWN_TIMEOUT_MS"]; ok {
				var n int64
				fmt.Sscan(ms, &n)
				if *pod.TerminationGracePeriodSeconds*1000 <= n {
					p.add("%s: terminationGracePeriodSeconds %d is not longer than SHUTDOWN_TIMEOUT_MS %s", app, *pod.TerminationGracePeriodSeconds, ms)
				}
			}
		}
	}

	// Service: selects this Deployment's pods and carries the probe port.
	s := objs.services[app]
	if s == nil {
		p.add("%s: no Service", app)
	} else {
		if len(s.Spec.Selector) == 0 || !subset(s.Spec.Selector, tmplLabels) {
			p.add("%s: Service selector %v does not select the Deployment's pods %v", app, s.Spec.Selector, tmplLabels)
		}
		if !slices.ContainsFunc(s.Spec.Ports, func(sp corev1.ServicePort) bool { return resolvePort(sp.TargetPort, c.Ports) == port }) {
			p.add("%s: no Service port targets the app's port %d", app, port)
		}
	}

	// HorizontalPodAutoscaler on CPU for this Deployment.
	h := objs.hpas[app]
	if h == nil {
		p.add("%s: no HorizontalPodAutoscaler", app)
		return
	}
	ref := h.Spec.ScaleTargetRef
	if ref.Kind != "Deployment" || ref.Name != app || ref.APIVersion != "apps/v1" {
		p.add("%s: HPA scaleTargetRef %s/%s %s is not this Deployment", app, ref.APIVersion, ref.Kind, ref.Name)
	}
	if !slices.ContainsFunc(h.Spec.Metrics, func(m autoscalingv2.MetricSpec) bool {
		return m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU
	}) {
		p.add("%s: HPA has no CPU resource metric", app)
	}
	minR := int32(1)
	if h.Spec.MinReplicas != nil {
		minR = *h.Spec.MinReplicas
	}
	if minR < 1 || h.Spec.MaxReplicas < minR {
		p.add("%s: HPA replicas min %d / max %d are inconsistent", app, minR, h.Spec.MaxReplicas)
	}
	if profile == "production" && minR < 2 {
		p.add("%s: production HPA minReplicas %d, want at least 2", app, minR)
	}
}

func checkExposure(p *problems, objs *kubeObjects) {
	for name, s := range objs.services {
		if name == "gateway" {
			continue
		}
		if s.Spec.Type != "" && s.Spec.Type != corev1.ServiceTypeClusterIP {
			p.add("Service %s is %s: only the gateway may be exposed", name, s.Spec.Type)
		}
		if len(s.Spec.ExternalIPs) > 0 {
			p.add("Service %s has externalIPs: only the gateway may be exposed", name)
		}
	}
	for _, ing := range objs.ingresses {
		backends := []*networkingv1.IngressBackend{ing.Spec.DefaultBackend}
		for _, r := range ing.Spec.Rules {
			if r.HTTP != nil {
				for i := range r.HTTP.Paths {
					backends = append(backends, &r.HTTP.Paths[i].Backend)
				}
			}
		}
		for _, b := range backends {
			if b == nil {
				continue
			}
			if b.Service == nil || b.Service.Name != "gateway" {
				p.add("Ingress %s routes to something other than the gateway Service", ing.Name)
				continue
			}
			gw := objs.services["gateway"]
			if gw == nil || !slices.ContainsFunc(gw.Spec.Ports, func(sp corev1.ServicePort) bool {
				return (b.Service.Port.Name != "" && sp.Name == b.Service.Port.Name) || (b.Service.Port.Number != 0 && sp.Port == b.Service.Port.Number)
			}) {
				p.add("Ingress %s: the gateway Service has no port %+v", ing.Name, b.Service.Port)
			}
		}
	}
}

func checkProduction(p *problems, objs *kubeObjects) {
	if len(objs.namespaces) != 1 {
		p.add("production: want the overlay's Namespace, got %d", len(objs.namespaces))
		return
	}
	ns := objs.namespaces[0]
	if ns.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		p.add("production: Namespace %s should enforce Pod Security 'restricted'", ns.Name)
	}
	for _, o := range objs.all {
		if _, isNs := o.(*corev1.Namespace); !isNs && o.GetNamespace() != ns.Name {
			p.add("production: %s is in namespace %q, not %q", o.GetName(), o.GetNamespace(), ns.Name)
		}
	}
	if len(objs.ingresses) == 0 {
		p.add("production: no Ingress for the gateway")
	}
	gw := objs.deployments["gateway"]
	if gw != nil && !slices.ContainsFunc(objs.pdbs, func(b *policyv1.PodDisruptionBudget) bool {
		return b.Spec.Selector != nil && subset(b.Spec.Selector.MatchLabels, gw.Spec.Template.Labels)
	}) {
		p.add("production: no PodDisruptionBudget for the gateway")
	}
}

func firstConfigMap(objs *kubeObjects) *corev1.ConfigMap {
	for _, cm := range objs.configMaps {
		return cm
	}
	return nil
}

func resolvePort(p intstr.IntOrString, ports []corev1.ContainerPort) int32 {
	if p.Type == intstr.Int {
		return p.IntVal
	}
	for _, cp := range ports {
		if cp.Name == p.StrVal {
			return cp.ContainerPort
		}
	}
	return -1
}

func subset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}
