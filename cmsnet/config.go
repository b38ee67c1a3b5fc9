package cmsnet

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"time"

	"go4.org/netipx"
)

// Default limits. A zero field of Limits takes these.
const (
	// DefaultMaxBytes caps a descriptor's size: 16 MiB.
	DefaultMaxBytes = 16 << 20
	// DefaultMaxDepth caps nesting.
	DefaultMaxDepth = 16
	// DefaultMaxNodes caps the values (scalars, lists, mappings) in a
	// descriptor. A YAML descriptor is refused before parsing when a cheap
	// over-estimate of its values exceeds twice this, which bounds the
	// parser's memory to roughly 200 MB.
	DefaultMaxNodes = 500_000
	// DefaultMaxItems caps the items of any list other than prefix lists.
	DefaultMaxItems = 100_000
	// DefaultMaxPrefixes caps the items of one prefix or address list.
	DefaultMaxPrefixes = 100_000
	// DefaultMaxStringBytes caps one string value.
	DefaultMaxStringBytes = 1024
	// DefaultMaxErrors caps the errors reported for one descriptor; the
	// rest are summed up in a last error.
	DefaultMaxErrors = 1000
)

// Limits bounds what a descriptor may contain. Zero fields take the
// Default* constants; negative fields are invalid.
type Limits struct {
	MaxBytes       int
	MaxDepth       int
	MaxNodes       int
	MaxItems       int
	MaxPrefixes    int
	MaxStringBytes int
	MaxErrors      int
}

func (l Limits) resolved() Limits {
	def := func(v, d int) int {
		if v == 0 {
			return d
		}
		return v
	}
	return Limits{
		MaxBytes:       def(l.MaxBytes, DefaultMaxBytes),
		MaxDepth:       def(l.MaxDepth, DefaultMaxDepth),
		MaxNodes:       def(l.MaxNodes, DefaultMaxNodes),
		MaxItems:       def(l.MaxItems, DefaultMaxItems),
		MaxPrefixes:    def(l.MaxPrefixes, DefaultMaxPrefixes),
		MaxStringBytes: def(l.MaxStringBytes, DefaultMaxStringBytes),
		MaxErrors:      def(l.MaxErrors, DefaultMaxErrors),
	}
}

// Config controls loading and evaluation. The zero value is strict: the
// default address spaces, the default limits, time.Now.
type Config struct {
	// AddressSpaces replaces, per environment, the address space from which
	// that environment's publication addresses must come (C3-C6, C8).
	// Environments absent from the map keep DefaultAddressSpaces. An
	// environment with an empty space admits no address, so a publication to
	// it fails validation: TESTA-ng has no default and must be configured.
	AddressSpaces map[Environment][]netip.Prefix
	// AllowDocumentationPrefixes adds the documentation ranges (RFC 5737,
	// RFC 3849, RFC 9637) to the Internet space. Risk: a descriptor with
	// example addresses validates and its rules never match real traffic;
	// use it for examples and tests only.
	AllowDocumentationPrefixes bool
	// Limits bounds descriptor size, nesting and counts.
	Limits Limits
	// Now is the clock for grant expiry; nil means time.Now.
	Now func() time.Time
}

// Validate reports every problem with the configuration.
func (c Config) Validate() error {
	var errs []error
	l := c.Limits
	for name, v := range map[string]int{"MaxBytes": l.MaxBytes, "MaxDepth": l.MaxDepth, "MaxNodes": l.MaxNodes,
		"MaxItems": l.MaxItems, "MaxPrefixes": l.MaxPrefixes, "MaxStringBytes": l.MaxStringBytes, "MaxErrors": l.MaxErrors} {
		if v < 0 {
			errs = append(errs, fmt.Errorf("%w: Limits.%s is negative", ErrConfig, name))
		}
	}
	for _, env := range slices.Sorted(maps.Keys(c.AddressSpaces)) {
		if !env.valid() {
			errs = append(errs, fmt.Errorf("%w: AddressSpaces: unknown environment %q", ErrConfig, env))
		}
		for _, p := range c.AddressSpaces[env] {
			if !p.IsValid() || p != p.Masked() {
				errs = append(errs, fmt.Errorf("%w: AddressSpaces[%s]: %s is not a canonical prefix", ErrConfig, env, p))
			}
		}
	}
	return errors.Join(errs...)
}

// resolved is a validated Config with defaults applied.
type resolved struct {
	spaces map[Environment]*netipx.IPSet
	limits Limits
	now    func() time.Time
}

func (c Config) resolve() (*resolved, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	r := &resolved{limits: c.Limits.resolved(), now: c.Now, spaces: map[Environment]*netipx.IPSet{}}
	if r.now == nil {
		r.now = time.Now
	}
	table := DefaultAddressSpaces()
	for env, ps := range c.AddressSpaces {
		table[env] = ps
	}
	if c.AllowDocumentationPrefixes {
		table[EnvInternet] = append(slices.Clip(table[EnvInternet]), documentationPrefixes()...)
	}
	for env, ps := range table {
		var b netipx.IPSetBuilder
		for _, p := range ps {
			b.AddPrefix(p)
		}
		set, err := b.IPSet()
		if err != nil {
			return nil, fmt.Errorf("%w: AddressSpaces[%s]: %v", ErrConfig, env, err)
		}
		r.spaces[env] = set
	}
	return r, nil
}

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// privateSpace is RFC 1918 plus IPv6 unique local addresses (RFC 4193).
func privateSpace() []netip.Prefix {
	return mustPrefixes("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
}

// specialPurpose are the IANA IPv4 and IPv6 special-purpose ranges (RFC
// 6890 and its updates) that are never globally routed, documentation
// ranges included.
func specialPurpose() []netip.Prefix {
	return mustPrefixes(
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
		"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
		"2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20",
	)
}

func documentationPrefixes() []netip.Prefix {
	return mustPrefixes("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20")
}

// DefaultAddressSpaces returns a fresh copy of the default table.
//
// Provenance: seed 000 (CMS2-02, CMS2-04) says which kind of address each
// environment gets but gives no ranges, so the table encodes only the kind:
//   - internet: "public IP addresses from the CMS space" (C3): every IPv4
//     address and IPv6 2000::/3, minus the IANA special-purpose ranges
//     (RFC 6890). The CMS's own allocation is narrower; configure it.
//   - cms, extranet, service-bus: "private IP addresses from the CMS space
//     (Consolidated IP addresses)" (C4, C6, C8): RFC 1918 and RFC 4193.
//   - testa-ng: "IP addresses from the CR space in the TESTA-ng network"
//     (C5): the seed gives no range and none is assumed; the table has an
//     empty space, so TESTA-ng publications fail until one is configured.
func DefaultAddressSpaces() map[Environment][]netip.Prefix {
	var pub netipx.IPSetBuilder
	pub.AddPrefix(netip.MustParsePrefix("0.0.0.0/0"))
	pub.AddPrefix(netip.MustParsePrefix("2000::/3"))
	for _, p := range specialPurpose() {
		pub.RemovePrefix(p)
	}
	set, _ := pub.IPSet() // constant input: cannot fail
	return map[Environment][]netip.Prefix{
		EnvInternet:   set.Prefixes(),
		EnvCMS:        privateSpace(),
		EnvExtranet:   privateSpace(),
		EnvServiceBus: privateSpace(),
		EnvTESTANG:    nil,
	}
}
