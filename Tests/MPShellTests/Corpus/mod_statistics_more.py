# statistics: medians of grouped data, quantiles methods, correlation, linear regression, NormalDist
import statistics as st

x = [1, 2, 3, 4, 5, 6, 7, 8, 9]
y = [1, 2, 3, 1, 2, 3, 1, 2, 3]
print(st.median_grouped([52, 52, 53, 54]), st.quantiles(x, n=4), st.quantiles(x, n=4, method='inclusive'))
print(round(st.correlation(x, x[::-1]), 6), round(st.covariance(x, y), 6))
slope, intercept = st.linear_regression([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
print(round(slope, 6), round(intercept, 6))
nd = st.NormalDist(100, 15)
print(round(nd.cdf(115), 6), nd.mean, nd.stdev, round(nd.pdf(100), 6))
print(st.mode(['red', 'blue', 'red']), st.pvariance([1.5, 2.5, 2.5, 2.75, 3.25, 4.75]))
