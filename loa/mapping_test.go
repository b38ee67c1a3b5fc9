package loa

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMappingValidate(t *testing.T) {
	tests := []struct {
		name   string
		m      Mapping
		nProbs int
	}{
		{"default", DefaultMapping(), 0},
		{"german BundID", Mapping{Low: 1, Substantial: 3, High: 4}, 0},
		{"shifted", Mapping{Low: 1, Substantial: 2, High: 3}, 0},
		{"zero", Mapping{}, 5},
		{"duplicate", Mapping{Low: 2, Substantial: 2, High: 4}, 1},
		{"decreasing", Mapping{Low: 4, Substantial: 3, High: 2}, 2},
		{"out of range", Mapping{Low: 2, Substantial: 3, High: 5}, 1},
		{"negative", Mapping{Low: -1, Substantial: 3, High: 4}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Validate()
			if tt.nProbs == 0 {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidMapping)
			joined, ok := err.(interface{ Unwrap() []error })
			require.True(t, ok)
			require.Len(t, joined.Unwrap(), tt.nProbs)
		})
	}
}

// N9, spec-digest §3.2: the default mapping both ways.
func TestDefaultMappingConversions(t *testing.T) {
	m := DefaultMapping()
	require.Equal(t, 2, m.QAAFor(Low))
	require.Equal(t, 3, m.QAAFor(Substantial))
	require.Equal(t, 4, m.QAAFor(High))
	require.Equal(t, 0, m.QAAFor(TierNone))
	require.Equal(t, TierNone, m.TierFor(1))
	require.Equal(t, Low, m.TierFor(2))
	require.Equal(t, Substantial, m.TierFor(3))
	require.Equal(t, High, m.TierFor(4))

	tests := []struct {
		in                               Level
		toQAA, toEIDAS, minQAA, minEIDAS Level // zero Level = no result
	}{
		{STORK(1), STORK(1), Level{}, STORK(1), Notified(Low)},
		{STORK(2), STORK(2), Notified(Low), STORK(2), Notified(Low)},
		{STORK(3), STORK(3), Notified(Substantial), STORK(3), Notified(Substantial)},
		{STORK(4), STORK(4), Notified(High), STORK(4), Notified(High)},
		{Notified(Low), STORK(2), Notified(Low), STORK(2), Notified(Low)},
		{Notified(Substantial), STORK(3), Notified(Substantial), STORK(3), Notified(Substantial)},
		{Notified(High), STORK(4), Notified(High), STORK(4), Notified(High)},
		{NotNotified(Low), STORK(1), Level{}, STORK(2), Notified(Low)},
		{NotNotified(Substantial), STORK(2), Notified(Low), STORK(3), Notified(Substantial)},
		{NotNotified(High), STORK(3), Notified(Substantial), STORK(4), Notified(High)},
		{Level{}, Level{}, Level{}, Level{}, Level{}},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			check := func(name string, f func(Level) (Level, bool), want Level) {
				got, ok := f(tt.in)
				require.Equal(t, want.Valid(), ok, name)
				require.Equal(t, want, got, name)
			}
			check("ToQAA", m.ToQAA, tt.toQAA)
			check("ToEIDAS", m.ToEIDAS, tt.toEIDAS)
			check("MinQAA", m.MinQAA, tt.minQAA)
			check("MinEIDAS", m.MinEIDAS, tt.minEIDAS)
		})
	}
}

// spec-digest §3.2: the German convention QAA1=low, QAA2 unused.
func TestGermanMappingConversions(t *testing.T) {
	m := Mapping{Low: 1, Substantial: 3, High: 4}
	got, ok := m.ToEIDAS(STORK(1))
	require.True(t, ok)
	require.Equal(t, Notified(Low), got)
	got, ok = m.ToEIDAS(STORK(2))
	require.True(t, ok)
	require.Equal(t, Notified(Low), got, "QAA2 reaches low through QAA1")
	got, ok = m.ToQAA(Notified(Low))
	require.True(t, ok)
	require.Equal(t, STORK(1), got)
	got, ok = m.MinEIDAS(STORK(2))
	require.True(t, ok)
	require.Equal(t, Notified(Substantial), got, "only substantial reaches QAA2")
	_, ok = m.ToQAA(NotNotified(Low))
	require.False(t, ok, "NN-low is below low = QAA1")

	c, ok := m.Compare(STORK(2), Notified(Low))
	require.True(t, ok)
	require.Equal(t, 1, c)
	_, ok = m.Compare(STORK(2), NotNotified(Substantial))
	require.False(t, ok, "incomparable under this table")
	require.False(t, m.AtLeast(STORK(2), NotNotified(Substantial)))
	require.False(t, m.AtLeast(NotNotified(Substantial), STORK(2)))
	_, ok = m.Max(STORK(2), NotNotified(Substantial))
	require.False(t, ok)
}

// N9, N11: the cross-family order under the default table.
func TestMappingAtLeastDefault(t *testing.T) {
	m := DefaultMapping()
	// Expected chain: QAA1 < NN-low < low=QAA2 < NN-sub < sub=QAA3 < NN-high < high=QAA4.
	chain := [][]Level{
		{STORK(1)},
		{NotNotified(Low)},
		{Notified(Low), STORK(2)},
		{NotNotified(Substantial)},
		{Notified(Substantial), STORK(3)},
		{NotNotified(High)},
		{Notified(High), STORK(4)},
	}
	for i, ci := range chain {
		for j, cj := range chain {
			for _, a := range ci {
				for _, b := range cj {
					require.Equal(t, i >= j, m.AtLeast(a, b), "%s >= %s", a, b)
					c, ok := m.Compare(a, b)
					require.True(t, ok)
					require.Equal(t, sign(i-j), c, "%s vs %s", a, b)
				}
			}
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	default:
		return 0
	}
}

func TestMappingFailsClosed(t *testing.T) {
	var zero Mapping
	require.False(t, zero.AtLeast(STORK(4), Notified(Low)), "invalid mapping relates nothing across families")
	require.True(t, zero.AtLeast(STORK(4), STORK(1)), "same family needs no mapping")
	require.False(t, DefaultMapping().AtLeast(Level{}, Level{}))
	_, ok := zero.ToEIDAS(STORK(4))
	require.False(t, ok)
	require.Equal(t, TierNone, zero.TierFor(4))
	got, ok := DefaultMapping().Max(STORK(2), Notified(Substantial))
	require.True(t, ok)
	require.Equal(t, Notified(Substantial), got)
	got, ok = DefaultMapping().Max(Notified(Low), STORK(2))
	require.True(t, ok)
	require.Equal(t, Notified(Low), got, "equivalent: first wins")
}
