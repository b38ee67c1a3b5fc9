package cmsnet

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// syntheticServices is the number of services the synthetic descriptor
// spreads its grants over.
const syntheticServices = 10

// syntheticYAML builds a descriptor with the given number of grants and
// grant prefixes (prefixes/grants per grant, at most 16), one entity per
// grant with a /20 in 10.0.0.0/8, and approved cms services.
func syntheticYAML(grants, prefixes int) []byte {
	per := prefixes / grants
	var b strings.Builder
	b.WriteString("version: 1\nentities:\n  - {id: owner, connection: kivs, prefixes: [10.255.255.0/24]}\n")
	for i := range grants {
		fmt.Fprintf(&b, "  - {id: e%d, connection: kivs, agencySystem: true, prefixes: [%s]}\n", i, entityPrefix(i))
	}
	b.WriteString("publications:\n")
	for s := range syntheticServices {
		fmt.Fprintf(&b, "  - service: s%d\n    owner: owner\n    hosting: ndc\n    environments:\n"+
			"      - {environment: cms, access: approved, addresses: [10.255.0.%d], endpoints: [{protocol: tcp, port: 443}, {protocol: tcp, port: 8000, endPort: 8100}]}\n", s, s+1)
	}
	b.WriteString("grants:\n")
	for i := range grants {
		srcs := make([]string, per)
		base := entityPrefix(i).Addr().As4()
		for j := range per {
			srcs[j] = netip.PrefixFrom(netip.AddrFrom4([4]byte{base[0], base[1], base[2] + byte(j), 0}), 24).String()
		}
		fmt.Fprintf(&b, "  - {id: g%d, service: s%d, entity: e%d, environment: cms, sources: [%s], state: approved, approvedBy: owner}\n",
			i, i%syntheticServices, i, strings.Join(srcs, ", "))
	}
	b.WriteString("tests:\n  - {name: first grant, source: 10.0.0.1, service: s0, environment: cms, protocol: tcp, port: 443, expect: allow}\n")
	return []byte(b.String())
}

func entityPrefix(i int) netip.Prefix {
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i / 16), byte(i%16) * 16, 0}), 20)
}

func synthetic(t testing.TB, grants, prefixes int) (*Policy, []byte) {
	t.Helper()
	src := syntheticYAML(grants, prefixes)
	p, err := Load(src, FormatYAML, testConfig())
	require.NoError(t, err)
	return p, src
}

// syntheticFlows returns flows of which about half are allowed.
func syntheticFlows(n, grants int) []Flow {
	out := make([]Flow, n)
	for i := range out {
		g := (i * 7919) % grants
		base := entityPrefix(g).Addr().As4()
		third := base[2] + byte(i%20) // past the granted /24s: denied
		out[i] = Flow{Source: netip.AddrFrom4([4]byte{base[0], base[1], third, byte(i)}), Service: fmt.Sprintf("s%d", g%syntheticServices),
			Environment: EnvCMS, Protocol: TCP, Port: uint16(8000 + i%101)}
	}
	return out
}

func TestSyntheticDescriptor(t *testing.T) {
	p, _ := synthetic(t, 1000, 10000)
	flows := syntheticFlows(2000, 1000)
	allowed := 0
	for _, f := range flows {
		if p.Decide(f).Allowed {
			allowed++
		}
	}
	require.Equal(t, 1000, allowed) // i%20 < 10 hits a granted /24
	r, err := p.WhoCanReach("s3", EnvCMS)
	require.NoError(t, err)
	require.Len(t, r.Sources, 100)
}
