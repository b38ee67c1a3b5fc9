package loa

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// N8, N9: the built-in levels and their accessors.
func TestLevelConstructors(t *testing.T) {
	tests := []struct {
		name   string
		l      Level
		valid  bool
		scheme Scheme
		tier   Tier
		qaa    int
		str    string
	}{
		{"notified low", Notified(Low), true, SchemeEIDAS, Low, 0, "eIDAS low"},
		{"notified high", Notified(High), true, SchemeEIDAS, High, 0, "eIDAS high"},
		{"nn substantial", NotNotified(Substantial), true, SchemeEIDASNotNotified, Substantial, 0, "eIDAS non-notified substantial"},
		{"qaa1", STORK(1), true, SchemeSTORK, TierNone, 1, "STORK QAA 1"},
		{"qaa4", STORK(4), true, SchemeSTORK, TierNone, 4, "STORK QAA 4"},
		{"qaa0", STORK(0), false, SchemeNone, TierNone, 0, "invalid level"},
		{"qaa5", STORK(5), false, SchemeNone, TierNone, 0, "invalid level"},
		{"tier none", Notified(TierNone), false, SchemeNone, TierNone, 0, "invalid level"},
		{"tier 9", NotNotified(Tier(9)), false, SchemeNone, TierNone, 0, "invalid level"},
		{"zero", Level{}, false, SchemeNone, TierNone, 0, "invalid level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.valid, tt.l.Valid())
			require.Equal(t, tt.scheme, tt.l.Scheme())
			require.Equal(t, tt.tier, tt.l.Tier())
			require.Equal(t, tt.qaa, tt.l.QAA())
			require.Equal(t, tt.str, tt.l.String())
			require.Equal(t, tt.l, tt.l.Equivalent())
		})
	}
}

func TestSchemeAndTierString(t *testing.T) {
	require.Equal(t, "eIDAS", SchemeEIDAS.String())
	require.Equal(t, "eIDAS non-notified", SchemeEIDASNotNotified.String())
	require.Equal(t, "STORK", SchemeSTORK.String())
	require.Equal(t, "national", SchemeNational.String())
	require.Equal(t, "none", SchemeNone.String())
	require.Equal(t, "substantial", Substantial.String())
	require.Equal(t, "none", Tier(7).String())
}

// spec-digest §2.1: NN-low < low < NN-substantial < substantial < NN-high < high.
func TestEIDASOrder(t *testing.T) {
	order := []Level{
		NotNotified(Low), Notified(Low),
		NotNotified(Substantial), Notified(Substantial),
		NotNotified(High), Notified(High),
	}
	for i, a := range order {
		for j, b := range order {
			c, ok := a.Compare(b)
			require.True(t, ok)
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			require.Equal(t, want, c, "%s vs %s", a, b)
			require.Equal(t, i >= j, a.AtLeast(b), "%s >= %s", a, b)
		}
	}
}

// N8: QAA 1 < 2 < 3 < 4.
func TestSTORKOrder(t *testing.T) {
	for i := 1; i <= 4; i++ {
		for j := 1; j <= 4; j++ {
			require.Equal(t, i >= j, STORK(i).AtLeast(STORK(j)))
		}
	}
}

func TestCompareFailsClosed(t *testing.T) {
	tests := []struct {
		name string
		a, b Level
	}{
		{"cross family", STORK(4), Notified(Low)},
		{"cross family reversed", Notified(High), STORK(1)},
		{"zero left", Level{}, STORK(1)},
		{"zero right", Notified(Low), Level{}},
		{"both zero", Level{}, Level{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := tt.a.Compare(tt.b)
			require.False(t, ok)
			require.False(t, tt.a.AtLeast(tt.b))
			_, ok = Max(tt.a, tt.b)
			require.False(t, ok)
		})
	}
}

// N12: step-up keeps the stronger level.
func TestMax(t *testing.T) {
	tests := []struct {
		a, b, want Level
	}{
		{Notified(Low), Notified(High), Notified(High)},
		{Notified(High), NotNotified(High), Notified(High)},
		{NotNotified(Substantial), Notified(Low), NotNotified(Substantial)},
		{STORK(3), STORK(2), STORK(3)},
		{STORK(2), STORK(2), STORK(2)},
	}
	for _, tt := range tests {
		got, ok := Max(tt.a, tt.b)
		require.True(t, ok)
		require.Equal(t, tt.want, got)
	}
}
