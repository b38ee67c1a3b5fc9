package loa

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// niasConfig is a NIAS-like deployment: national ClassRefs for QAA 2..4.
func niasConfig() RegistryConfig {
	return RegistryConfig{
		National: []NationalLevel{
			{ClassRef: "urn:hr:nias:loa:2", Equivalent: STORK(2)},
			{ClassRef: "urn:hr:nias:loa:3", Equivalent: STORK(3)},
			{ClassRef: "urn:hr:nias:loa:4", Equivalent: STORK(4)},
			{ClassRef: "http://service.memberstate.ms/NotNotified/LoA/low", Equivalent: NotNotified(Low)},
		},
	}
}

func newRegistry(t testing.TB, cfg RegistryConfig) *Registry {
	t.Helper()
	r, err := New(cfg)
	require.NoError(t, err)
	return r
}

// N10, N11: a deployment registers its own scheme.
func TestRegistryNationalRoundTrip(t *testing.T) {
	r := newRegistry(t, niasConfig())
	for _, s := range []string{"urn:hr:nias:loa:2", "urn:hr:nias:loa:3", "urn:hr:nias:loa:4",
		"http://service.memberstate.ms/NotNotified/LoA/low"} {
		l, err := r.ParseClassRef(s)
		require.NoError(t, err)
		require.Equal(t, SchemeNational, l.Scheme())
		require.True(t, l.Valid())
		out, err := l.ClassRef()
		require.NoError(t, err)
		require.Equal(t, s, out)
	}
	l, err := r.ParseClassRef(" urn:hr:nias:loa:3\n")
	require.NoError(t, err)
	require.Equal(t, STORK(3), l.Equivalent())
	require.Equal(t, 3, l.QAA())
	require.Equal(t, TierNone, l.Tier())
	require.Equal(t, "urn:hr:nias:loa:3 (STORK QAA 3)", l.String())
	require.True(t, l.AtLeast(STORK(3)))
	require.True(t, STORK(3).AtLeast(l))
	require.NotEqual(t, STORK(3), l, "a national level is its own value")

	nn, err := r.ParseClassRef("http://service.memberstate.ms/NotNotified/LoA/low")
	require.NoError(t, err)
	require.Equal(t, Low, nn.Tier())

	// Built-ins still parse; unknown values are typed errors.
	l, err = r.ParseClassRef(EIDASHigh)
	require.NoError(t, err)
	require.Equal(t, Notified(High), l)
	_, err = r.ParseClassRef("urn:hr:nias:loa:5")
	require.ErrorIs(t, err, ErrUnknownClassRef)
	_, err = r.ParseClassRef("http://eidas.europa.eu/LoA/bogus")
	require.ErrorIs(t, err, ErrInvalidClassRef)
}

func TestRegistryConfigValidate(t *testing.T) {
	many := make([]NationalLevel, MaxNationalLevels+1)
	for i := range many {
		many[i] = NationalLevel{ClassRef: fmt.Sprintf("urn:x:%d", i), Equivalent: STORK(2)}
	}
	tests := []struct {
		name string
		cfg  RegistryConfig
		want []string // substrings, one per expected problem
	}{
		{"zero", RegistryConfig{}, nil},
		{"nias", niasConfig(), nil},
		{"bad mapping", RegistryConfig{Mapping: Mapping{Low: 3, Substantial: 3, High: 4}}, []string{"below substantial"}},
		{"very bad mapping", RegistryConfig{Mapping: Mapping{Low: 0, Substantial: 9, High: 4}}, []string{"low maps to QAA 0", "substantial maps to QAA 9", "below high"}},
		{"empty classref", RegistryConfig{National: []NationalLevel{{ClassRef: "", Equivalent: STORK(2)}}}, []string{"length 0"}},
		{"too long", RegistryConfig{National: []NationalLevel{{ClassRef: strings.Repeat("x", MaxClassRefLen+1), Equivalent: STORK(2)}}}, []string{"length 1025"}},
		{"whitespace", RegistryConfig{National: []NationalLevel{{ClassRef: " urn:x", Equivalent: STORK(2)}}}, []string{"whitespace"}},
		{"reserved eidas", RegistryConfig{National: []NationalLevel{{ClassRef: "http://eidas.europa.eu/LoA/medium", Equivalent: STORK(2)}}}, []string{"reserved"}},
		{"reserved stork", RegistryConfig{National: []NationalLevel{{ClassRef: "STORK-QAA-Level-9", Equivalent: STORK(2)}}}, []string{"reserved"}},
		{"builtin", RegistryConfig{National: []NationalLevel{{ClassRef: EIDASLow, Equivalent: STORK(2)}}}, []string{"reserved"}},
		{"duplicate", RegistryConfig{National: []NationalLevel{{ClassRef: "urn:x", Equivalent: STORK(2)}, {ClassRef: "urn:x", Equivalent: STORK(3)}}}, []string{"duplicate"}},
		{"bad equivalent", RegistryConfig{National: []NationalLevel{{ClassRef: "urn:x"}}}, []string{"Equivalent"}},
		{"too many", RegistryConfig{National: many}, []string{"limit 256"}},
		{"two problems", RegistryConfig{National: []NationalLevel{{ClassRef: ""}, {ClassRef: "urn:y"}}}, []string{"length 0", "Equivalent"}},
		{"nias value range", RegistryConfig{NIAS: []NIASLevel{{Value: 0, ClassRef: EIDASLow}, {Value: 100, ClassRef: EIDASHigh}}}, []string{"Value 0", "Value 100"}},
		{"nias unknown classref", RegistryConfig{NIAS: []NIASLevel{{Value: 1, ClassRef: "urn:nope"}}}, []string{"unknown"}},
		{"nias duplicate", RegistryConfig{NIAS: []NIASLevel{{Value: 1, ClassRef: EIDASLow}, {Value: 1, ClassRef: EIDASHigh}}}, []string{"duplicate Value 1"}},
		{"nias not monotonic", RegistryConfig{NIAS: []NIASLevel{{Value: 1, ClassRef: EIDASHigh}, {Value: 2, ClassRef: EIDASLow}}}, []string{"not above"}},
		{"nias and national", RegistryConfig{National: []NationalLevel{{ClassRef: "urn:x"}}, NIAS: []NIASLevel{{Value: 1, ClassRef: "urn:x"}}}, []string{"Equivalent", "unknown"}},
		{"nias with bad mapping", RegistryConfig{Mapping: Mapping{Low: 1, Substantial: 1, High: 4}, NIAS: []NIASLevel{{Value: 1, ClassRef: EIDASHigh}, {Value: 2, ClassRef: EIDASLow}}}, []string{"below substantial"}},
		{"nias equal levels", RegistryConfig{NIAS: []NIASLevel{{Value: 1, ClassRef: "STORK-QAA-Level-2"}, {Value: 2, ClassRef: EIDASLow}}}, []string{"not above"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			_, nerr := New(tt.cfg)
			if tt.want == nil {
				require.NoError(t, err)
				require.NoError(t, nerr)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.ErrorIs(t, nerr, ErrInvalidConfig)
			joined, ok := err.(interface{ Unwrap() []error })
			require.True(t, ok)
			require.Len(t, joined.Unwrap(), len(tt.want))
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
	require.ErrorIs(t, RegistryConfig{Mapping: Mapping{Low: 9, Substantial: 10, High: 11}}.Validate(), ErrInvalidMapping)
}

func TestNewDoesNotMutateConfig(t *testing.T) {
	cfg := niasConfig()
	cfg.NIAS = []NIASLevel{{Value: 3, ClassRef: "urn:hr:nias:loa:3"}, {Value: 2, ClassRef: "urn:hr:nias:loa:2"}}
	before := fmt.Sprintf("%#v", cfg)
	r := newRegistry(t, cfg)
	require.Equal(t, before, fmt.Sprintf("%#v", cfg))
	require.Equal(t, DefaultMapping(), r.Mapping(), "zero mapping resolves to the default")
	require.True(t, cfg.Mapping.IsZero())
	cfg.National[0].ClassRef = "changed"
	_, err := r.ParseClassRef("urn:hr:nias:loa:2")
	require.NoError(t, err, "the registry keeps its own copy")
}

func TestParseRequested(t *testing.T) {
	r := newRegistry(t, niasConfig())
	req, err := r.ParseRequested("minimum", []string{EIDASSubstantial, "urn:hr:nias:loa:4"})
	require.NoError(t, err)
	require.Equal(t, ComparisonMinimum, req.Comparison)
	require.Len(t, req.Levels, 2)
	require.Equal(t, Notified(Substantial), req.Levels[0])
	refs, err := req.ClassRefs()
	require.NoError(t, err)
	require.Equal(t, []string{EIDASSubstantial, "urn:hr:nias:loa:4"}, refs)

	req, err = r.ParseRequested("", []string{EIDASLow})
	require.NoError(t, err)
	require.Equal(t, ComparisonExact, req.Comparison, "absent Comparison means exact")

	_, err = r.ParseRequested("Minimum", []string{EIDASLow})
	require.ErrorIs(t, err, ErrInvalidComparison)
	_, err = r.ParseRequested("minimum", nil)
	require.ErrorIs(t, err, ErrRequestSize)
	_, err = r.ParseRequested("minimum", make([]string, MaxRequestedLevels+1))
	require.ErrorIs(t, err, ErrRequestSize)
	_, err = r.ParseRequested("minimum", []string{EIDASLow, "urn:unknown"})
	var ce *ClassRefError
	require.True(t, errors.As(err, &ce))
	require.Equal(t, "urn:unknown", ce.ClassRef)

	_, err = Requested{Levels: []Level{STORK(2)}}.ClassRefs()
	require.ErrorIs(t, err, ErrNotExpressible)
	_, err = Requested{}.ClassRefs()
	require.ErrorIs(t, err, ErrRequestSize)
}
