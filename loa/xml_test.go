package loa

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

// parseXML returns the root element of s.
func parseXML(t testing.TB, s string) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(s))
	require.NotNil(t, doc.Root())
	return doc.Root()
}

// serialize writes el as a standalone document.
func serialize(t testing.TB, el *etree.Element) string {
	t.Helper()
	doc := etree.NewDocument()
	doc.SetRoot(el.Copy())
	s, err := doc.WriteToString()
	require.NoError(t, err)
	return s
}

func TestSmallUint(t *testing.T) {
	tests := []struct {
		in string
		n  int
		ok bool
	}{
		{"1", 1, true}, {"42", 42, true}, {"99", 99, true},
		{"", 0, false}, {"0", 0, false}, {"01", 0, false}, {"100", 0, false},
		{"+1", 0, false}, {"-1", 0, false}, {"1a", 0, false}, {"٣", 0, false},
	}
	for _, tt := range tests {
		n, ok := smallUint(tt.in)
		require.Equal(t, tt.ok, ok, tt.in)
		require.Equal(t, tt.n, n, tt.in)
	}
}
