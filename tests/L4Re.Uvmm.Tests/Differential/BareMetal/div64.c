/* 64-bit arithmetic through libgcc (__udivdi3, __divdi3, __umoddi3) and 32x32→64 multiplies. */
unsigned long long acc64;

unsigned int main(void)
{
    unsigned long long x = 0x123456789abcdefULL, acc = 0;
    long long s = -98765432123LL;
    for (int i = 1; i < 300; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        acc += x / (unsigned long long)(i * 977 + 1);
        acc ^= x % 1000003u;
        s = s * 3 / (i | 1) + (long long)(int)x;
        acc += (unsigned long long)s;
        acc += (unsigned long long)(unsigned int)x * (unsigned int)(x >> 32);
    }
    acc64 = acc;
    return (unsigned int)acc ^ (unsigned int)(acc >> 32);
}
