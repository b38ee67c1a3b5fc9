package saml

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"2026-11-22T03:04:05Z", time.Date(2026, 11, 22, 3, 4, 5, 0, time.UTC), false},
		{"2026-11-22T03:04:05.123Z", time.Date(2026, 11, 22, 3, 4, 5, 123e6, time.UTC), false},
		{"2026-11-22T03:04:05.123456789Z", time.Date(2026, 11, 22, 3, 4, 5, 123456789, time.UTC), false},
		{"2026-11-22T03:04:05.1234567891234Z", time.Date(2026, 11, 22, 3, 4, 5, 123456789, time.UTC), false},
		{"2026-11-22T05:04:05+02:00", time.Date(2026, 11, 22, 3, 4, 5, 0, time.UTC), false},
		{"2026-11-22T01:34:05.5-01:30", time.Date(2026, 11, 22, 3, 4, 5, 5e8, time.UTC), false},
		{"2026-11-22T03:04:05", time.Date(2026, 11, 22, 3, 4, 5, 0, time.UTC), false},
		{" 2026-11-22T03:04:05Z\n", time.Date(2026, 11, 22, 3, 4, 5, 0, time.UTC), false},
		{"", time.Time{}, true},
		{"2026-11-22", time.Time{}, true},
		{"2026-13-22T03:04:05Z", time.Time{}, true},
		{"2026-11-22 03:04:05Z", time.Time{}, true},
		{"2026-11-22T03:04:05,5Z", time.Time{}, true},
		{"2026-11-22T03:04:05z", time.Time{}, true},
		{"-2026-11-22T03:04:05Z", time.Time{}, true},
		{"2026-11-22T03:04:05+0200", time.Time{}, true},
		{"2026-11-22T25:04:05Z", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in)
			if tt.err {
				require.ErrorIs(t, err, ErrBadTime)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, time.UTC, got.Location())
		})
	}
}

func TestFormatTime(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	require.Equal(t, "2026-11-22T03:04:05.000Z", FormatTime(time.Date(2026, 11, 22, 4, 4, 5, 0, loc)))
	require.Equal(t, "2026-11-22T03:04:05.123Z", FormatTime(time.Date(2026, 11, 22, 3, 4, 5, 123456789, time.UTC)))
}
