/* Recursive quicksort and insertion sort of pseudo-random signed integers; returns a position-weighted sum. */
#define N 4000
static int a[N], b[N];

static void quicksort(int *v, int lo, int hi)
{
    while (lo < hi) {
        int p = v[(lo + hi) / 2], i = lo, j = hi;
        while (i <= j) {
            while (v[i] < p) i++;
            while (v[j] > p) j--;
            if (i <= j) { int t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(v, lo, j); lo = i; }
        else { quicksort(v, i, hi); hi = j; }
    }
}

int main(void)
{
    unsigned int s = 7;
    for (int i = 0; i < N; i++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        a[i] = b[i] = (int)s >> 3;
    }
    quicksort(a, 0, N - 1);
    for (int i = 1; i < 600; i++) {
        int v = b[i], j = i - 1;
        while (j >= 0 && b[j] > v) { b[j + 1] = b[j]; j--; }
        b[j + 1] = v;
    }
    int sum = 0;
    for (int i = 0; i < N; i++)
        sum += a[i] * (i + 1) - b[i % 600];
    return sum;
}
