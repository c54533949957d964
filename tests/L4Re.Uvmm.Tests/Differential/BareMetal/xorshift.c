/* Pseudo-random generators with 64-bit state in register pairs: xorshift64*, splitmix32, a linear congruential mix. */
unsigned int main(void)
{
    unsigned long long s = 88172645463325252ULL;
    unsigned int h = 0, z = 0x1234567;
    for (int i = 0; i < 5000; i++) {
        s ^= s >> 12; s ^= s << 25; s ^= s >> 27;
        unsigned long long r = s * 2685821657736338717ULL;
        z += 0x9e3779b9u;
        unsigned int t = z;
        t = (t ^ (t >> 16)) * 0x85ebca6bu;
        t = (t ^ (t >> 13)) * 0xc2b2ae35u;
        t ^= t >> 16;
        h = h * 1664525u + 1013904223u + (unsigned int)(r >> 32) + t;
    }
    return h;
}
