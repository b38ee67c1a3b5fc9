package loa

import (
	"errors"
	"fmt"
	"slices"
)

// Limits on a [RegistryConfig].
const (
	// MaxNationalLevels is the most national ClassRefs one Registry holds.
	MaxNationalLevels = 256
	// MaxNIASValue is the largest NIAS MinAuthenticationSecurityLevel accepted.
	MaxNIASValue = 99
)

// NationalLevel registers a deployment's own AuthnContextClassRef, for
// example a NIAS-like "urn:hr:nias:loa:3", as equivalent to an eIDAS or
// STORK level. National levels order and satisfy requests through their
// equivalent, so two national ClassRefs with the same equivalent are
// interchangeable in comparisons while each is still emitted as itself.
type NationalLevel struct {
	// ClassRef is the exact value (any string of 1 to MaxClassRefLen bytes
	// without leading or trailing whitespace, outside the reserved eIDAS
	// and STORK prefixes).
	ClassRef string
	// Equivalent is the eIDAS (notified or not) or STORK level ClassRef
	// stands for, e.g. loa.STORK(3) or loa.Notified(loa.Substantial).
	Equivalent Level
}

// NIASLevel maps one value of the NIAS MinAuthenticationSecurityLevel
// request condition (spec-digest §4.3) to a level.
type NIASLevel struct {
	// Value is the attribute value, 1 to MaxNIASValue.
	Value int
	// ClassRef names the level: a built-in ClassRef (for STORK use e.g.
	// "STORK-QAA-Level-2") or one registered in RegistryConfig.National.
	ClassRef string
}

// RegistryConfig configures a [Registry]. It is plain data; [New] validates
// it and never changes it.
type RegistryConfig struct {
	// Mapping is the QAA-eIDAS table. If zero, DefaultMapping() is used.
	Mapping Mapping

	// National lists the deployment's own ClassRefs (at most
	// MaxNationalLevels). If empty, only the built-in schemes parse.
	National []NationalLevel

	// NIAS maps MinAuthenticationSecurityLevel values to levels; values
	// must strictly increase with their levels. If empty, value N (1 to 4)
	// means STORK QAA N: an assumption, as no NIAS specification of the
	// number was found (spec-digest §4.3, §7).
	NIAS []NIASLevel

	// StrictSAMLComparison makes exact and maximum in [Registry.Satisfies]
	// follow SAML core literally, so a higher granted level than requested is
	// refused for them. The default (false) applies N11: an e-service admits
	// any level higher than the one it asked for. See the package
	// documentation.
	StrictSAMLComparison bool
}

// Validate reports every problem in c joined, each wrapping
// [ErrInvalidConfig] (and [ErrInvalidMapping] for the table).
func (c RegistryConfig) Validate() error {
	var errs []error
	m := c.mapping()
	if err := m.Validate(); err != nil {
		list := []error{err}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			list = j.Unwrap()
		}
		for _, e := range list {
			errs = append(errs, fmt.Errorf("%w: %w", ErrInvalidConfig, e))
		}
	}
	national, nerrs := c.national()
	errs = append(errs, nerrs...)
	_, nerrs = c.nias(m, national)
	errs = append(errs, nerrs...)
	return errors.Join(errs...)
}

func (c RegistryConfig) mapping() Mapping {
	if c.Mapping.IsZero() {
		return DefaultMapping()
	}
	return c.Mapping
}

func configErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...)
}

// national resolves c.National into a lookup table.
func (c RegistryConfig) national() (map[string]Level, []error) {
	var errs []error
	if len(c.National) > MaxNationalLevels {
		errs = append(errs, configErr("%d national levels, limit %d", len(c.National), MaxNationalLevels))
	}
	out := make(map[string]Level, len(c.National))
	for i, n := range c.National {
		s := n.ClassRef
		switch {
		case s == "" || len(s) > MaxClassRefLen:
			errs = append(errs, configErr("National[%d]: ClassRef length %d, want 1..%d", i, len(s), MaxClassRefLen))
			continue
		case trimXMLSpace(s) != s:
			errs = append(errs, configErr("National[%d]: ClassRef %q has surrounding whitespace", i, s))
			continue
		case reserved(s):
			errs = append(errs, configErr("National[%d]: ClassRef %q lies under a reserved eIDAS or STORK prefix", i, s))
			continue
		}
		if _, dup := out[s]; dup {
			errs = append(errs, configErr("National[%d]: duplicate ClassRef %q", i, s))
			continue
		}
		eq := n.Equivalent
		if !eq.Valid() || eq.scheme == SchemeNational {
			errs = append(errs, configErr("National[%d]: Equivalent must be a valid eIDAS or STORK level", i))
			continue
		}
		out[s] = Level{scheme: SchemeNational, value: eq.value, eq: eq.scheme, uri: s}
	}
	return out, errs
}

type niasEntry struct {
	value int
	level Level
}

// nias resolves c.NIAS, sorted by value.
func (c RegistryConfig) nias(m Mapping, national map[string]Level) ([]niasEntry, []error) {
	if len(c.NIAS) == 0 {
		return []niasEntry{{1, STORK(1)}, {2, STORK(2)}, {3, STORK(3)}, {4, STORK(4)}}, nil
	}
	var errs []error
	if len(c.NIAS) > MaxNIASValue {
		return nil, []error{configErr("%d NIAS levels, limit %d", len(c.NIAS), MaxNIASValue)}
	}
	out := make([]niasEntry, 0, len(c.NIAS))
	for i, n := range c.NIAS {
		if n.Value < 1 || n.Value > MaxNIASValue {
			errs = append(errs, configErr("NIAS[%d]: Value %d, want 1..%d", i, n.Value, MaxNIASValue))
			continue
		}
		l, err := lookup(national, n.ClassRef)
		if err != nil {
			errs = append(errs, configErr("NIAS[%d]: %w", i, err))
			continue
		}
		out = append(out, niasEntry{n.Value, l})
	}
	slices.SortFunc(out, func(a, b niasEntry) int { return a.value - b.value })
	for i := 1; i < len(out); i++ {
		if out[i].value == out[i-1].value {
			errs = append(errs, configErr("NIAS: duplicate Value %d", out[i].value))
		} else if !m.valid() {
			continue // the order is undefined; the mapping error is reported
		} else if c, ok := m.Compare(out[i].level, out[i-1].level); !ok || c <= 0 {
			errs = append(errs, configErr("NIAS: Value %d (%s) is not above Value %d (%s)",
				out[i].value, out[i].level, out[i-1].value, out[i-1].level))
		}
	}
	return out, errs
}

func lookup(national map[string]Level, s string) (Level, error) {
	l, kind := parseClassRef(s)
	if kind == parsedUnknown {
		if n, ok := national[trimXMLSpace(s)]; ok {
			return n, nil
		}
	}
	if kind != parsedOK {
		return Level{}, newClassRefError(s, kind.err())
	}
	return l, nil
}

// Registry is the configured LoA vocabulary of a deployment: the built-in
// eIDAS and STORK schemes, registered national ClassRefs, the QAA-eIDAS
// mapping, the NIAS condition values and the comparison mode. It is
// immutable and safe for concurrent use.
type Registry struct {
	mapping  Mapping
	national map[string]Level
	nias     []niasEntry
	strict   bool
}

// New validates cfg and builds a Registry from a resolved copy of it.
func New(cfg RegistryConfig) (*Registry, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := cfg.mapping()
	national, _ := cfg.national()
	nias, _ := cfg.nias(m, national)
	return &Registry{mapping: m, national: national, nias: nias, strict: cfg.StrictSAMLComparison}, nil
}

// Mapping returns the QAA-eIDAS table in force.
func (r *Registry) Mapping() Mapping { return r.mapping }

// ParseClassRef parses a built-in ClassRef (see [ParseClassRef]) or a
// registered national one. Unknown values fail with a [*ClassRefError]
// wrapping [ErrUnknownClassRef]; malformed values under the reserved eIDAS
// and STORK prefixes with [ErrInvalidClassRef] (spec-digest §2.1).
func (r *Registry) ParseClassRef(s string) (Level, error) {
	return lookup(r.national, s)
}

// ParseRequested builds a [Requested] from the Comparison attribute and the
// AuthnContextClassRef values of a samlp:RequestedAuthnContext. It fails on
// an invalid comparison, on no or more than MaxRequestedLevels ClassRefs
// ([ErrRequestSize]), and on any ClassRef that does not parse.
func (r *Registry) ParseRequested(comparison string, classRefs []string) (Requested, error) {
	c, err := ParseComparison(comparison)
	if err != nil {
		return Requested{}, err
	}
	if len(classRefs) == 0 || len(classRefs) > MaxRequestedLevels {
		return Requested{}, fmt.Errorf("%w: %d, want 1..%d", ErrRequestSize, len(classRefs), MaxRequestedLevels)
	}
	req := Requested{Comparison: c, Levels: make([]Level, 0, len(classRefs))}
	for _, s := range classRefs {
		l, err := r.ParseClassRef(s)
		if err != nil {
			return Requested{}, err
		}
		req.Levels = append(req.Levels, l)
	}
	return req, nil
}

// Satisfies answers whether an authentication at level granted satisfies the
// request req (N11, N12, SAML core §3.3.2.2.1), comparing across schemes
// through the mapping:
//
//   - minimum: granted is at least one of the listed levels;
//   - better: granted is strictly stronger than one of them;
//   - exact: by default treated as minimum (N11: a higher level is always
//     admitted); with StrictSAMLComparison, granted must be equivalent to one
//     of them;
//   - maximum: with StrictSAMLComparison, granted must not exceed one of them;
//     by default the ceiling is not enforced against a granted level (N11),
//     which need only be comparable with one of them.
//
// An invalid granted level, an empty or oversized list, and listed levels
// that are invalid or incomparable with granted never satisfy. It does not
// allocate.
func (r *Registry) Satisfies(granted Level, req Requested) bool {
	return satisfies(r.mapping, r.strict, granted, req)
}
