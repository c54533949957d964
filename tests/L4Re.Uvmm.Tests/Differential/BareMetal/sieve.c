/* Sieve of Eratosthenes up to 200000 with a byte array; returns the count and the last prime. */
static unsigned char composite[200001];
unsigned int last;

int main(void)
{
    int count = 0;
    for (int i = 2; i <= 200000; i++) {
        if (composite[i])
            continue;
        count++;
        last = i;
        for (int j = i + i; j <= 200000; j += i)
            composite[j] = 1;
    }
    return count * 1000003 + last;
}
