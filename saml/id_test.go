package saml

import (
	"bytes"
	"errors"
	"regexp"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

func TestNewID(t *testing.T) {
	id, err := NewID(bytes.NewReader(bytes.Repeat([]byte{0xab}, IDBytes)))
	require.NoError(t, err)
	require.Equal(t, "_"+string(bytes.Repeat([]byte("ab"), IDBytes)), id)

	ncname := regexp.MustCompile(`^_[0-9a-f]{40}$`)
	a, err := NewID(nil)
	require.NoError(t, err)
	b, err := NewID(nil)
	require.NoError(t, err)
	require.Regexp(t, ncname, a)
	require.NotEqual(t, a, b)

	_, err = NewID(bytes.NewReader(make([]byte, IDBytes-1)))
	require.Error(t, err)
	boom := errors.New("boom")
	_, err = NewID(iotest.ErrReader(boom))
	require.ErrorIs(t, err, boom)
}
