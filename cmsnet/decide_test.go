package cmsnet

import (
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func flow(src, entity, svc string, env Environment, proto Protocol, port uint16) Flow {
	return Flow{Source: netip.MustParseAddr(src), Entity: entity, Service: svc, Environment: env, Protocol: proto, Port: port}
}

func TestDecide(t *testing.T) {
	broker := loadFile(t, "broker.yaml")
	registry := loadFile(t, "registry.json")
	for _, tc := range []struct {
		name    string
		p       *Policy
		f       Flow
		allowed bool
		reason  Reason
		rule    string // deciding rule's path; "" for none
	}{
		{"C3 internet citizen", broker, flow("198.51.100.7", "", "broker", EnvInternet, TCP, 443), true, ReasonSourceRule, "publications[0].environments[0].sources[0]"},
		{"C3 internet v6", broker, flow("2a00::1", "", "broker", EnvInternet, TCP, 443), true, ReasonSourceRule, "publications[0].environments[0].sources[1]"},
		{"except", broker, flow("192.0.2.1", "", "broker", EnvInternet, TCP, 443), false, ReasonExcept, "publications[0].environments[0].sources[0].except[0]"},
		{"v4-mapped source", broker, flow("::ffff:198.51.100.7", "", "broker", EnvInternet, TCP, 443), true, ReasonSourceRule, "publications[0].environments[0].sources[0]"},
		{"udp not published", broker, flow("198.51.100.7", "", "broker", EnvInternet, UDP, 443), false, ReasonNoEndpoint, ""},
		{"unknown service", broker, flow("198.51.100.7", "", "nope", EnvInternet, TCP, 443), false, ReasonUnknownService, ""},
		{"not published", broker, flow("198.51.100.7", "", "broker", EnvTESTANG, TCP, 443), false, ReasonNotPublished, ""},
		{"invalid source", broker, Flow{Service: "broker", Environment: EnvInternet, Protocol: TCP, Port: 443}, false, ReasonBadSource, ""},
		{"C7 grant", broker, flow("10.20.5.9", "tax-administration", "broker", EnvCMS, TCP, 8443), true, ReasonGrant, "grants[0]"},
		{"C7 grant v6", broker, flow("fd00:30:8::1", "", "broker", EnvCMS, TCP, 8443), true, ReasonGrant, "grants[1]"},
		{"C7 grant entity mismatch", broker, flow("10.20.5.9", "city-of-zagreb", "broker", EnvCMS, TCP, 8443), false, ReasonEntityMismatch, "grants[0]"},
		{"C4 requested grant does not admit", broker, flow("10.40.1.5", "small-municipality", "broker", EnvCMS, TCP, 8443), false, ReasonNoRule, ""},
		{"C4 public entity", registry, flow("10.21.3.3", "health-insurer", "population-register", EnvCMS, TCP, 443), true, ReasonPublicCMS, "publications[0].environments[0]"},
		{"C4 public non-entity", registry, flow("10.77.0.1", "", "population-register", EnvCMS, TCP, 443), false, ReasonNoRule, ""},
		{"C1 ipsec critical", registry, flow("10.50.2.9", "", "population-register", EnvCMS, TCP, 443), false, ReasonCriticalIPsec, "publications[0].environments[0]"},
		{"C1 ssl fine", registry, flow("10.50.1.9", "small-town", "population-register", EnvCMS, TCP, 443), true, ReasonPublicCMS, "publications[0].environments[0]"},
		{"C1 ipsec entity claimed on ssl address", registry, flow("10.50.1.9", "village", "population-register", EnvCMS, TCP, 443), false, ReasonEntityMismatch, "publications[0].environments[0]"},
		{"C5 testa", registry, flow("172.30.200.1", "", "population-register", EnvTESTANG, TCP, 443), true, ReasonSourceRule, "publications[0].environments[1].sources[0]"},
		{"C8 bus", registry, flow("10.99.0.1", "", "population-register", EnvServiceBus, TCP, 8443), true, ReasonSourceRule, "publications[0].serviceBus.sources[0]"},
		{"C8 bus wrong port", registry, flow("10.99.0.1", "", "population-register", EnvServiceBus, TCP, 443), false, ReasonNoEndpoint, ""},
		{"port range low", registry, flow("10.22.4.1", "", "vaccination-records", EnvCMS, UDP, 5000), true, ReasonGrant, "grants[0]"},
		{"port range high", registry, flow("10.22.4.1", "", "vaccination-records", EnvCMS, UDP, 5010), true, ReasonGrant, "grants[0]"},
		{"port range out", registry, flow("10.22.4.1", "", "vaccination-records", EnvCMS, UDP, 5011), false, ReasonNoEndpoint, ""},
		{"C6 extranet", registry, flow("10.21.0.1", "", "vaccination-records", EnvExtranet, TCP, 443), true, ReasonExtranetMember, "publications[1].environments[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.p.Decide(tc.f)
			require.Equal(t, tc.allowed, d.Allowed, d.String())
			require.Equal(t, tc.reason, d.Reason)
			if tc.rule == "" {
				require.Nil(t, d.Rule)
				return
			}
			require.NotNil(t, d.Rule)
			require.Equal(t, tc.rule, d.Rule.Path)
			require.Positive(t, d.Rule.Line)
		})
	}
}

func TestDecideExpiry(t *testing.T) {
	p := loadFile(t, "broker.yaml")
	f := flow("10.30.8.1", "city-of-zagreb", "broker", EnvCMS, TCP, 8443)
	expiry := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	require.True(t, p.DecideAt(f, expiry.Add(-time.Second)).Allowed)
	d := p.DecideAt(f, expiry)
	require.False(t, d.Allowed)
	require.Equal(t, ReasonGrantExpired, d.Reason)
	require.Equal(t, "g-zagreb-backchannel", d.Rule.Grant)
}

func TestDecideDoesNotAllocate(t *testing.T) {
	p := loadFile(t, "registry.json")
	f := flow("10.22.4.1", "labour-office", "vaccination-records", EnvCMS, UDP, 5005)
	allocs := testing.AllocsPerRun(100, func() {
		if !p.Decide(f).Allowed {
			t.Fatal("denied")
		}
	})
	require.Zero(t, allocs)
}

func TestBuildSpans(t *testing.T) {
	r := func(s string) item { return item{r: rangeOf(s)} }
	allow := []item{r("10.0.0.0/8"), r("10.1.0.0/16"), r("11.0.0.0/8")}
	allow[1].rule, allow[2].rule = 1, 2
	deny := []item{{rangeOf("8.0.0.0/7"), 3}, {rangeOf("12.0.0.0/8"), 4}}
	spans := buildSpans(allow, deny)
	got := make([]string, len(spans))
	for i, s := range spans {
		got[i] = s.from.String() + "-" + s.to.String() + "#" + string(rune('0'+s.rule))
	}
	require.Equal(t, []string{
		"8.0.0.0-9.255.255.255#3",
		"10.0.0.0-10.255.255.255#0",
		"11.0.0.0-11.255.255.255#2",
		"12.0.0.0-12.255.255.255#4",
	}, got)
}

// TestDecideConcurrent runs decisions from several goroutines; run with
// -race, it checks a Policy is safe for concurrent use.
func TestDecideConcurrent(t *testing.T) {
	p := loadFile(t, "registry.json")
	flows := []Flow{
		flow("10.22.4.1", "labour-office", "vaccination-records", EnvCMS, UDP, 5005),
		flow("10.50.2.9", "", "population-register", EnvCMS, TCP, 443),
	}
	done := make(chan bool)
	for g := range 4 {
		go func() {
			ok := true
			for i := range 1000 {
				d := p.Decide(flows[(g+i)%2])
				ok = ok && d.Allowed == ((g+i)%2 == 0)
			}
			done <- ok
		}()
	}
	for range 4 {
		require.True(t, <-done)
	}
}
