package rag

// The time feature: how well the time a passage is about (resolved at
// ingest: ingest.Chunk's Years and TimeKind) fits the time a question asks
// about (Analysis.When).

import (
	"slices"
	"strconv"
)

// timeFit says how a passage's time fits the time asked: for the years,
// +1 when it is about a year asked (a relative year counted from the
// passage's document's year), −1 when it is about other years only; for
// the kind, +1 when it reports what happened and an outcome is asked (or
// plans and a target is asked), −1 for the other. Each is 0 when the
// passage's time is unknown.
func timeFit(w *When, years []int, kind string, docYear int) (yr, kd float64) {
	if w == nil {
		return 0, 0
	}
	if len(years) > 0 {
		asked := w.Years
		if docYear > 0 {
			for _, r := range w.Relative {
				asked = append(slices.Clip(asked), docYear+r)
			}
		}
		if len(asked) > 0 {
			yr = -1
			for _, y := range asked {
				if slices.Contains(years, y) {
					yr = 1
					break
				}
			}
		}
	}
	if kind != "" && w.Kind != "" {
		kd = -1
		if kind == w.Kind {
			kd = 1
		}
	}
	return yr, kd
}

// aboutYears returns, as text a question's year terms match (" 2018年"),
// the years a passage is about when it speaks of them as asked: a section
// planning 2008 says nothing of what 2008 achieved. Empty when none.
func aboutYears(w *When, years []int, kind string) string {
	if w != nil && kind != "" && w.Kind != "" && kind != w.Kind {
		return ""
	}
	return yearsText(years)
}

// yearsText writes years as text a question's year terms match (" 2018年"),
// empty for none.
func yearsText(years []int) string {
	var b []byte
	for _, y := range years {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, "年"...)
	}
	return string(b)
}

// yearOf returns the year of a date written YYYY-MM-DD, or 0.
func yearOf(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, err := strconv.Atoi(date[:4])
	if err != nil {
		return 0
	}
	return y
}
