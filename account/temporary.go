package account

import (
	"context"
	"fmt"
	"io"

	"github.com/eidkit/eidkit/account/policy"
)

// Character sets for temporary passwords; look-alikes (0/O, 1/l/I) left
// out so the password can be read out or typed from a letter.
const (
	tempUpper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	tempLower   = "abcdefghijkmnopqrstuvwxyz"
	tempDigit   = "23456789"
	tempSpecial = ".,*_^+#$@-!?"
)

// maxTempAttempts bounds regeneration when a random password happens to
// trip a detector (a sequence, a blocklisted core).
const maxTempAttempts = 50

// temporaryPassword returns a random password that passes the profile for
// the class (A3, A4).
func (s *Service) temporaryPassword(ctx context.Context, class policy.Class) (string, error) {
	n := max(s.profile.MinLengthFor(class, false), MinTemporaryPasswordLength)
	for range maxTempAttempts {
		pw, err := s.randomPassword(n)
		if err != nil {
			return "", err
		}
		res, err := s.policy.Check(ctx, policy.Request{Profile: s.profile.ID(), Class: class, Password: pw,
			Context: policy.Context{SystemName: s.systemName}})
		if err != nil {
			return "", err
		}
		if res.OK() {
			return pw, nil
		}
	}
	return "", fmt.Errorf("account: no temporary password passed profile %s in %d attempts", s.profile.ID(), maxTempAttempts)
}

func (s *Service) randomPassword(n int) (string, error) {
	sets := []string{tempUpper, tempLower, tempDigit, tempSpecial}
	all := tempUpper + tempLower + tempDigit + tempSpecial
	out := make([]byte, n)
	for i := range out {
		set := all
		if i < len(sets) {
			set = sets[i]
		}
		c, err := s.randIndex(len(set))
		if err != nil {
			return "", err
		}
		out[i] = set[c]
	}
	// Shuffle so the class order of the first four is not predictable.
	for i := n - 1; i > 0; i-- {
		j, err := s.randIndex(i + 1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	return string(out), nil
}

// randIndex returns a uniform index below n (n <= 256) by rejection
// sampling.
func (s *Service) randIndex(n int) (int, error) {
	limit := 256 - 256%n
	var b [1]byte
	for {
		if _, err := io.ReadFull(s.rand, b[:]); err != nil {
			return 0, fmt.Errorf("account: reading randomness: %w", err)
		}
		if int(b[0]) < limit {
			return int(b[0]) % n, nil
		}
	}
}
