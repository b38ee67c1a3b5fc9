//go:build !unix

package dsig

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
