package loa

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseComparison(t *testing.T) {
	tests := []struct {
		in   string
		want Comparison
		err  bool
	}{
		{"", ComparisonExact, false},
		{"exact", ComparisonExact, false},
		{"minimum", ComparisonMinimum, false},
		{"better", ComparisonBetter, false},
		{"maximum", ComparisonMaximum, false},
		{"Exact", 0, true},
		{" minimum", 0, true},
		{"least", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseComparison(tt.in)
			if tt.err {
				require.ErrorIs(t, err, ErrInvalidComparison)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			if tt.in != "" {
				require.Equal(t, tt.in, got.String())
			}
		})
	}
	require.Equal(t, "Comparison(9)", Comparison(9).String())
}

func lv(l ...Level) []Level { return l }

// N11, N12, SAML core §3.3.2.2.1: Satisfies across every comparison, in the
// default (N11) mode and in strict SAML mode.
func TestSatisfies(t *testing.T) {
	reg := newRegistry(t, niasConfig())
	strictCfg := niasConfig()
	strictCfg.StrictSAMLComparison = true
	strict := newRegistry(t, strictCfg)
	nias3, err := reg.ParseClassRef("urn:hr:nias:loa:3")
	require.NoError(t, err)

	sub, low, high := Notified(Substantial), Notified(Low), Notified(High)
	tests := []struct {
		name      string
		granted   Level
		cmp       Comparison
		levels    []Level
		n11, saml bool
	}{
		// minimum: same in both modes; N11 higher always admitted.
		{"min equal", sub, ComparisonMinimum, lv(sub), true, true},
		{"min higher N11", high, ComparisonMinimum, lv(sub), true, true},
		{"min lower", low, ComparisonMinimum, lv(sub), false, false},
		{"min NN below notified", NotNotified(Substantial), ComparisonMinimum, lv(sub), false, false},
		{"min NN above lower tier", NotNotified(Substantial), ComparisonMinimum, lv(low), true, true},
		{"min any of list", low, ComparisonMinimum, lv(high, NotNotified(Low)), true, true},
		{"min QAA vs eIDAS", STORK(3), ComparisonMinimum, lv(sub), true, true},
		{"min QAA2 vs substantial", STORK(2), ComparisonMinimum, lv(sub), false, false},
		{"min eIDAS vs QAA", high, ComparisonMinimum, lv(STORK(4)), true, true},
		{"min national vs eIDAS", nias3, ComparisonMinimum, lv(sub), true, true},
		{"min national vs higher", nias3, ComparisonMinimum, lv(high), false, false},
		{"min step-up N12", high, ComparisonMinimum, lv(nias3), true, true},
		// exact: N11 mode admits higher; strict needs equivalence.
		{"exact equal", sub, ComparisonExact, lv(sub), true, true},
		{"exact higher", high, ComparisonExact, lv(sub), true, false},
		{"exact lower", low, ComparisonExact, lv(sub), false, false},
		{"exact one of list", sub, ComparisonExact, lv(high, sub), true, true},
		{"exact equivalent QAA", STORK(3), ComparisonExact, lv(sub), true, true},
		{"exact equivalent national", nias3, ComparisonExact, lv(STORK(3)), true, true},
		{"exact NN vs notified", NotNotified(High), ComparisonExact, lv(high), false, false},
		{"exact notified vs NN", high, ComparisonExact, lv(NotNotified(High)), true, false},
		// better: strictly above one listed.
		{"better higher", high, ComparisonBetter, lv(sub), true, true},
		{"better equal", sub, ComparisonBetter, lv(sub), false, false},
		{"better equivalent", STORK(3), ComparisonBetter, lv(sub), false, false},
		{"better lower", low, ComparisonBetter, lv(sub), false, false},
		{"better than lowest listed", sub, ComparisonBetter, lv(high, low), true, true},
		{"better notified over NN", high, ComparisonBetter, lv(NotNotified(High)), true, true},
		// maximum: strict caps; N11 admits higher but needs comparability.
		{"max lower", low, ComparisonMaximum, lv(sub), true, true},
		{"max equal", sub, ComparisonMaximum, lv(sub), true, true},
		{"max higher", high, ComparisonMaximum, lv(sub), true, false},
		{"max QAA1 under low", STORK(1), ComparisonMaximum, lv(low), true, true},
		// fail closed.
		{"empty list", high, ComparisonMinimum, nil, false, false},
		{"zero granted", Level{}, ComparisonMinimum, lv(low), false, false},
		{"zero listed", high, ComparisonMinimum, lv(Level{}), false, false},
		{"zero listed skipped", high, ComparisonMinimum, lv(Level{}, low), true, true},
		{"unknown comparison", high, Comparison(9), lv(low), false, false},
		{"too many", high, ComparisonMinimum, make([]Level, MaxRequestedLevels+1), false, false},
		{"QAA1 vs low", STORK(1), ComparisonMinimum, lv(low), false, false},
		{"low vs QAA1", NotNotified(Low), ComparisonMinimum, lv(STORK(1)), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := Requested{Comparison: tt.cmp, Levels: tt.levels}
			require.Equal(t, tt.n11, reg.Satisfies(tt.granted, req), "N11 mode")
			require.Equal(t, tt.saml, strict.Satisfies(tt.granted, req), "strict SAML mode")
		})
	}
}

// Incomparable levels never satisfy, not even maximum in N11 mode.
func TestSatisfiesIncomparable(t *testing.T) {
	r := newRegistry(t, RegistryConfig{Mapping: Mapping{Low: 1, Substantial: 3, High: 4}})
	for _, c := range []Comparison{ComparisonExact, ComparisonMinimum, ComparisonBetter, ComparisonMaximum} {
		req := Requested{Comparison: c, Levels: lv(NotNotified(Substantial))}
		require.False(t, r.Satisfies(STORK(2), req), c.String())
	}
}

func TestMinimum(t *testing.T) {
	req := Minimum(Notified(High))
	require.Equal(t, ComparisonMinimum, req.Comparison)
	require.Equal(t, []Level{Notified(High)}, req.Levels)
}

// Satisfies runs on every login: it must not allocate.
func TestSatisfiesAllocs(t *testing.T) {
	r := newRegistry(t, niasConfig())
	nias3, err := r.ParseClassRef("urn:hr:nias:loa:3")
	require.NoError(t, err)
	req := Requested{Comparison: ComparisonExact, Levels: lv(Notified(High), nias3, STORK(2))}
	ok := false
	allocs := testing.AllocsPerRun(100, func() {
		ok = r.Satisfies(Notified(Substantial), req)
	})
	require.True(t, ok)
	require.Zero(t, allocs)
}
