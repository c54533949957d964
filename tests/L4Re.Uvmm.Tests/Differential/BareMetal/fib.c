/* Deep recursion: naive Fibonacci and Ackermann (jal/jr, stack traffic). */
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int ack(int m, int n) { return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)); }

int main(void)
{
    return fib(22) * 31 + ack(2, 9);
}
