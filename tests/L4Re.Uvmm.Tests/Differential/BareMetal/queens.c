/* Backtracking: count the solutions of the 8- and 9-queens problems with bit masks. */
static int solve(unsigned int cols, unsigned int d1, unsigned int d2, unsigned int full)
{
    if (cols == full)
        return 1;
    int n = 0;
    unsigned int free = ~(cols | d1 | d2) & full;
    while (free) {
        unsigned int bit = free & -free;
        free ^= bit;
        n += solve(cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1, full);
    }
    return n;
}

int main(void)
{
    return solve(0, 0, 0, 0xff) * 1000 + solve(0, 0, 0, 0x1ff);
}
