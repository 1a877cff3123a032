# statistics: CPython's errors for empty or too-short data and bad arguments
import statistics as st

cases = [lambda: st.mean([]), lambda: st.median([]), lambda: st.stdev([1]), lambda: st.variance([5]),
         lambda: st.mode([]), lambda: st.harmonic_mean([]), lambda: st.quantiles([1], n=4), lambda: st.quantiles([1, 2], n=0)]
for f in cases:
    try:
        print(f())
    except st.StatisticsError as e:
        print('StatisticsError:', e)
print(issubclass(st.StatisticsError, ValueError), st.mean([True, False, True]), st.median([3, 1, 2]), st.mode([1.5]))
