# statistics and fractions: means, medians, mode, spread; exact rational arithmetic and conversions
import statistics as st
from fractions import Fraction as F

data = [2.5, 3.25, 5.5, 11.25, 11.75]
print(st.mean(data), st.median(data), st.median_low([1, 3, 5, 7]), st.median_high([1, 3, 5, 7]), st.mode([1, 2, 2, 3]))
print(st.pstdev(data), st.stdev(data), st.pvariance([1, 2, 3, 4]), st.variance([1, 2, 3, 4]), st.fmean([1, 2, 3]))
print(st.multimode('aabbbccc'), st.harmonic_mean([40, 60]), st.geometric_mean([54, 24, 36]), st.quantiles([1, 2, 3, 4, 5, 6, 7, 8]))
try:
    st.mean([])
except st.StatisticsError as e:
    print('StatisticsError:', e)
a, b = F(1, 3), F('2/6')
print(a == b, a + F(1, 6), a * 3, a / 2, a ** 2, -a, abs(F(-3, 4)), F(3, 4) - 1)
print(F(0.5), F('1.25'), F(10, -4), float(F(1, 8)), int(F(7, 2)), round(F(7, 2)), F(7, 2).limit_denominator(1))
print(F(355, 113).numerator, F(355, 113).denominator, F(1, 3) < 0.34, sorted([F(1, 2), F(1, 3)]), str(F(2, 1)), repr(F(1, 2)))
try:
    F(1, 0)
except ZeroDivisionError as e:
    print('ZeroDivisionError:', e)
