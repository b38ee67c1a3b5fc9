package cmsnet

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
	"go4.org/netipx"
)

func rangeOf(s string) netipx.IPRange { return netipx.RangeOfPrefix(netip.MustParsePrefix(s)) }

func prefixes(ss ...string) []netip.Prefix { return mustPrefixes(ss...) }

func TestWhoCanReach(t *testing.T) {
	p := loadFile(t, "registry.json")
	r, err := p.WhoCanReach("population-register", EnvCMS)
	require.NoError(t, err)
	var entities []string
	for _, s := range r.Sources {
		entities = append(entities, s.Entity)
		require.Equal(t, RulePublicCMS, s.Rule.Kind)
	}
	// C1: the IPsec-connected village is not among them.
	require.Equal(t, []string{"interior", "health-insurer", "labour-office", "small-town"}, entities)
	require.Equal(t, prefixes("10.10.0.0/16"), r.Sources[0].Prefixes)

	r, err = p.WhoCanReach("population-register", EnvTESTANG)
	require.NoError(t, err)
	require.Len(t, r.Sources, 1)
	require.Equal(t, prefixes("172.30.0.0/21", "172.30.8.0/24", "172.30.10.0/23", "172.30.12.0/22", "172.30.16.0/20",
		"172.30.32.0/19", "172.30.64.0/18", "172.30.128.0/17"), r.Sources[0].Prefixes)

	_, err = p.WhoCanReach("population-register", EnvInternet)
	require.ErrorIs(t, err, ErrUnknownReference)
}

func TestWhoCanReachSkipsExpired(t *testing.T) {
	p := loadFile(t, "broker.yaml")
	r, err := p.WhoCanReach("broker", EnvCMS)
	require.NoError(t, err)
	require.Len(t, r.Sources, 2)
	r, err = p.whoCanReachAt("broker", EnvCMS, testNow.AddDate(10, 0, 0))
	require.NoError(t, err)
	require.Len(t, r.Sources, 1)
	require.Equal(t, "g-tax-backchannel", r.Sources[0].Rule.Grant)
}

func TestDiff(t *testing.T) {
	v1, v2 := loadFile(t, "broker.yaml"), loadFile(t, "broker-v2.yaml")
	got := Diff(v1, v2)
	want := []Change{
		{Service: "broker", Environment: EnvCMS, Protocol: TCP, Port: 8443,
			Allowed: prefixes("10.20.0.0/22", "10.20.4.0/24", "10.20.6.0/23", "10.20.8.0/21"),
			Denied:  prefixes("10.30.8.0/24", "fd00:30:8::/48")},
		{Service: "broker", Environment: EnvCMS, Protocol: TCP, Port: 8444, Allowed: prefixes("10.20.0.0/20")},
		{Service: "broker", Environment: EnvInternet, Protocol: TCP, Port: 443, Allowed: prefixes("192.0.2.0/24")},
	}
	require.Equal(t, want, got)
	require.Empty(t, Diff(v1, v1))

	back := Diff(v2, v1)
	require.Len(t, back, 3)
	require.Equal(t, want[0].Allowed, back[0].Denied)
	require.Equal(t, want[1].Allowed, back[1].Denied)
}

func TestDiffServiceAppears(t *testing.T) {
	v1, reg := loadFile(t, "broker.yaml"), loadFile(t, "registry.json")
	changes := Diff(v1, reg)
	var sawNew, sawGone bool
	for _, c := range changes {
		if c.Service == "vaccination-records" && c.Environment == EnvCMS && c.Protocol == UDP {
			require.Equal(t, uint16(5000), c.Port)
			require.Equal(t, uint16(5010), c.EndPort)
			require.Equal(t, prefixes("10.22.4.0/24"), c.Allowed)
			sawNew = true
		}
		if c.Service == "broker" {
			require.Empty(t, c.Allowed)
			sawGone = true
		}
	}
	require.True(t, sawNew)
	require.True(t, sawGone)
}
