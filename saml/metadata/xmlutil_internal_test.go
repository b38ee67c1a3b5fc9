package metadata

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseDuration(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"PT1H", time.Hour, true},
		{"PT0S", 0, true},
		{"P1D", 24 * time.Hour, true},
		{"P1DT12H30M0.5S", 36*time.Hour + 30*time.Minute + 500*time.Millisecond, true},
		{"P1Y2M", durationYear + 2*durationMonth, true},
		{"PT86400S", 24 * time.Hour, true},
		{" PT6H ", 6 * time.Hour, true},
		{"", 0, false},
		{"P", 0, false},
		{"PT", 0, false},
		{"1H", 0, false},
		{"-PT1H", 0, false},
		{"PT1H2H", 0, false},
		{"P1H", 0, false},
		{"PT1D", 0, false},
		{"P1.5D", 0, false},
		{"PTT1H", 0, false},
		{"P1DT", 0, false},
		{"PT.S", 0, false},
		{"P99999999999999999999Y", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseDuration(tc.in)
			if !tc.ok {
				require.ErrorIs(t, err, ErrMalformed)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestFormatDurationRoundTrip(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{time.Second, 90 * time.Minute, 48 * time.Hour, 25*time.Hour + 1500*time.Millisecond, 6 * time.Hour} {
		got, err := parseDuration(formatDuration(d))
		require.NoError(t, err)
		require.Equal(t, d, got, formatDuration(d))
	}
	require.Equal(t, "PT0S", formatDuration(0))
	require.Equal(t, "P2D", formatDuration(48*time.Hour))
	require.Equal(t, "P1DT1H0.5S", formatDuration(25*time.Hour+500*time.Millisecond))
}

func TestParseDateTime(t *testing.T) {
	t.Parallel()
	want := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, in := range []string{"2030-01-02T03:04:05Z", "2030-01-02T03:04:05.000Z", "2030-01-02T05:04:05+02:00", "2030-01-02T03:04:05"} {
		got, err := parseDateTime(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "2030-01-02", "tomorrow", "2030-13-02T03:04:05Z"} {
		_, err := parseDateTime(in)
		require.ErrorIs(t, err, ErrMalformed, in)
	}
}
