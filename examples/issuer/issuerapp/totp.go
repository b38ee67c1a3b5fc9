package issuerapp

import (
	"crypto/hmac"
	"crypto/sha1" // #nosec: RFC 6238's default HMAC, which authenticator apps implement; HMAC-SHA1 is not weakened by SHA-1 collisions
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
)

// TOTP parameters (RFC 6238 defaults, understood by every authenticator
// app): 30-second steps, 6 digits, HMAC-SHA1; one step of drift each way.
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	totpDrift  = 1
)

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// Code returns the RFC 6238 one-time code of the base32 secret at t: what
// the user's authenticator app shows. The demo prints it to the console
// when asked to, and the end-to-end test computes it.
func Code(secret string, t time.Time) (string, error) {
	key, err := base32NoPad.DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil || len(key) < 16 {
		return "", fmt.Errorf("%w: secret is not base32 of at least 16 bytes", ErrBadCode)
	}
	return hotp(key, uint64(t.Unix()/int64(totpStep/time.Second))), nil
}

// hotp is RFC 4226 §5.3: HMAC of the counter, dynamic truncation, decimal.
func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1_000_000)
}

// totpVerifier checks codes of one secret and refuses a code, or an older
// one, once a code has been accepted (RFC 6238 §5.2: one use per step).
type totpVerifier struct {
	key []byte

	mu       sync.Mutex
	lastUsed uint64 // last accepted counter; 0 means none
}

// verify accepts code at now, or reports ErrBadCode.
func (v *totpVerifier) verify(code string, now time.Time) error {
	if len(code) != totpDigits || strings.Trim(code, "0123456789") != "" {
		return fmt.Errorf("%w: want %d digits", ErrBadCode, totpDigits)
	}
	counter := uint64(now.Unix() / int64(totpStep/time.Second))
	v.mu.Lock()
	defer v.mu.Unlock()
	for d := -totpDrift; d <= totpDrift; d++ {
		c := counter + uint64(int64(d))
		if hmac.Equal([]byte(hotp(v.key, c)), []byte(code)) {
			if c <= v.lastUsed {
				return fmt.Errorf("%w: code already used", ErrBadCode)
			}
			v.lastUsed = c
			return nil
		}
	}
	return fmt.Errorf("%w: wrong or expired code", ErrBadCode)
}

// otpauthURI is the provisioning URI an authenticator app scans or imports.
func otpauthURI(issuer, account string, key []byte) string {
	q := url.Values{"secret": {base32NoPad.EncodeToString(key)}, "issuer": {issuer},
		"algorithm": {"SHA1"}, "digits": {fmt.Sprint(totpDigits)}, "period": {fmt.Sprint(int(totpStep / time.Second))}}
	return "otpauth://totp/" + url.PathEscape(issuer+":"+account) + "?" + q.Encode()
}
