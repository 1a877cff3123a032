# statistics: exact means and variances in the data's type (int, float, Fraction), medians, modes, quantiles,
# correctly rounded stdev, covariance/correlation/regression, and the StatisticsError messages
import statistics
from statistics import (mean, fmean, median, median_low, median_high, median_grouped, mode, multimode, stdev,
                        pstdev, variance, pvariance, quantiles, harmonic_mean, geometric_mean, StatisticsError)
from fractions import Fraction as F

ints = [2, 4, 4, 4, 5, 5, 7, 9]
floats = [0.1, 0.2, 0.3, 0.4, 1e-3, 2.5]
print(mean(ints), mean([1, 2, 3, 4]), mean(floats), mean([0.1, 0.2, 0.3]), mean([F(1, 3), F(2, 3), 2]))
print(mean([1, 2.5]), mean(x for x in range(10)), mean([True, False, True]), mean([1e308, 1e308]))
print(fmean(floats), fmean([1, 2, 3]), fmean([1, 2, 3], weights=[3, 2, 1]), geometric_mean([54, 24, 36]))
print(harmonic_mean([40, 60]), harmonic_mean([2.5, 3, 10]), harmonic_mean([7]), harmonic_mean([1, 0, 3]))
print(median(ints), median([3, 1, 2]), median([1, 2, 3, 4]), median([F(1, 2), F(1, 3)]), median([1.5, 2.5]))
print(median_low([1, 3, 5, 7]), median_high([1, 3, 5, 7]), median_low([5, 1, 3]), median_high(["a", "c", "b"]))
print(median_grouped([52, 52, 53, 54]), median_grouped([1, 2, 2, 3, 4, 4, 4, 4, 4, 5]), median_grouped([1, 3, 3, 5, 7], 2))
print(mode([1, 1, 2, 3, 3, 3, 3, 4]), mode(["red", "blue", "blue", "red", "green"]), mode("aabbbcc"), multimode("aabbbbccddddeeffffgg"), multimode([]))
print(variance(ints), variance([1, 2, 3, 4]), variance(floats), variance([F(1, 4), F(5, 4), F(1, 2)]), variance([2, 2, 2]))
print(pvariance(ints), pvariance([1, 2, 3, 4]), pvariance(floats), pvariance([0.0, 0.25, 0.25, 1.25, 1.5, 1.75, 2.75, 3.25]))
print(stdev(ints), stdev(floats), stdev([1.5, 2.5, 2.5, 2.75, 3.25, 4.75]), stdev([1, 2]), stdev([F(1), F(2), F(4)]))
print(pstdev(ints), pstdev(floats), pstdev([1.5, 2.5, 2.5, 2.75, 3.25, 4.75]), pstdev([10 ** 20, 10 ** 20 + 3]))
print(variance(ints, 5), pvariance([1.0, 2.0, 3.0], 2.0), stdev([1, 2, 3, 4], 2.5))
data = [105, 129, 87, 86, 111, 111, 89, 81, 108, 92, 110, 100, 75, 105, 103, 109, 76, 119, 99, 91, 103, 129,
        106, 101, 84, 111, 74, 87, 86, 103, 103, 106, 86, 111, 75, 87, 102, 121, 111, 88, 89, 101, 106, 95, 103,
        107, 101, 81, 109, 104]
print(quantiles(data, n=10), quantiles(data), quantiles([1, 2], n=3, method="inclusive"), quantiles([1.5, 2.5, 9.0], n=5))
print(statistics.covariance([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 1, 2, 3, 1, 2, 3]),
      statistics.correlation([1, 2, 3, 4, 5, 6, 7, 8, 9], [9, 8, 7, 6, 5, 4, 3, 2, 1]))
r = statistics.linear_regression([1, 2, 3, 4, 5], [3, 5, 7, 9, 11.5])
print(r, r.slope, statistics.linear_regression([1, 2, 3], [2, 4, 6], proportional=True))
nd = statistics.NormalDist(100, 15)
print(nd, nd.mean, nd.stdev, nd.variance, round(nd.cdf(115), 6), round(nd.pdf(100), 8))
print(issubclass(StatisticsError, ValueError))
for bad in (lambda: mean([]), lambda: fmean([]), lambda: median([]), lambda: mode([]), lambda: variance([1]),
            lambda: pvariance([]), lambda: stdev([1]), lambda: pstdev([]), lambda: quantiles([1]),
            lambda: quantiles([1, 2], n=0), lambda: harmonic_mean([-1, 2]), lambda: geometric_mean([0, 1]),
            lambda: statistics.correlation([1, 1], [1, 2]), lambda: statistics.covariance([1], [1, 2]),
            lambda: mean(["a"]), lambda: quantiles([1, 2], method="x"), lambda: mean([1.5, F(1, 2)])):
    try:
        print("->", bad())
    except (StatisticsError, TypeError, ValueError) as e:
        print(type(e).__name__, e)
variance([])
